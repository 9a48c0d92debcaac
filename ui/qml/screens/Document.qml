import QtQuick
import QtQuick.Layouts
import ".."

// The documents this resident may request (kiosk.offers). Refused ones are greyed out with the reason and
// the counter hint; the list scrolls if a municipality ever offers many.
ScreenPage {
    id: page
    title: qsTr("Which certificate do you need?")
    Flickable {
        id: flick
        anchors.fill: parent
        contentWidth: width
        contentHeight: column.height
        clip: true
        flickableDirection: Flickable.VerticalFlick
        boundsBehavior: Flickable.StopAtBounds
        readonly property int count: Math.max(1, kiosk.offers.length)
        readonly property real cardHeight: Math.max(Theme.bigButtonHeight * 1.5,
            (height - Theme.spacing * (count - 1)) / count)
        Column {
            id: column
            width: flick.width
            spacing: Theme.spacing
            Repeater {
                model: kiosk.offers
                Rectangle {
                    id: card
                    readonly property bool available: modelData.available
                    width: column.width
                    height: Math.min(flick.cardHeight, Theme.shortSide * 0.4)
                    radius: Theme.radius
                    border.width: Theme.border
                    border.color: available ? Theme.blue : Theme.disabledInk
                    color: !available ? Theme.disabledFill : area.pressed ? Theme.pressedFill : Theme.paper
                    RowLayout {
                        anchors.fill: parent
                        anchors.margins: Theme.spacing
                        spacing: Theme.spacing
                        ColumnLayout {
                            Layout.fillWidth: true
                            Layout.fillHeight: true
                            spacing: 0
                            KText {
                                Layout.fillWidth: true
                                Layout.fillHeight: true
                                Layout.preferredHeight: 1.2
                                text: Labels.documentName(modelData.type, kiosk.language)
                                color: card.available ? Theme.blue : Theme.disabledInk
                                font.pixelSize: Theme.fontTitle
                                font.bold: true
                            }
                            KText {
                                visible: !card.available
                                Layout.fillWidth: true
                                Layout.fillHeight: true
                                Layout.preferredHeight: 1
                                text: Labels.refusal(modelData.refusal, kiosk.language)
                                      + (modelData.refusal !== "" ? "\n" : "")
                                      + qsTr("Please ask at your municipal office counter.")
                                color: Theme.disabledInk
                                font.pixelSize: Theme.fontSmall
                            }
                        }
                        KText {
                            Layout.fillHeight: true
                            Layout.preferredWidth: card.width * 0.28
                            text: qsTr("%1 yen per copy").arg(Theme.yen(modelData.feeYen))
                            color: card.available ? Theme.ink : Theme.disabledInk
                            font.bold: true
                            horizontalAlignment: Text.AlignRight
                        }
                    }
                    MouseArea {
                        id: area
                        objectName: card.available ? "touch:document-" + modelData.type : ""
                        anchors.fill: parent
                        enabled: card.available
                        hoverEnabled: false
                        onClicked: kiosk.chooseDocument(modelData.type)
                    }
                }
            }
        }
        // Scroll position (shown only when the list is longer than the screen).
        Rectangle {
            visible: flick.contentHeight > flick.height + 1
            x: flick.width - width
            y: flick.contentY + flick.visibleArea.yPosition * flick.height
            width: Theme.border * 2
            height: flick.visibleArea.heightRatio * flick.height
            color: Theme.blue
        }
    }
}
