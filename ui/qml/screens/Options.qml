import QtQuick
import QtQuick.Layouts
import ".."

// One row per option of the chosen document, each a segmented choice; the list scrolls when it is long.
ScreenPage {
    id: page
    title: qsTr("Choose what the certificate shows")
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        KText {
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.fontBody * 1.8
            text: Labels.documentName(kiosk.documentType, kiosk.language)
            color: Theme.blue
            font.bold: true
            horizontalAlignment: Text.AlignHCenter
        }
        Flickable {
            id: flick
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentWidth: width
            contentHeight: column.height
            clip: true
            flickableDirection: Flickable.VerticalFlick
            boundsBehavior: Flickable.StopAtBounds
            Column {
                id: column
                width: flick.width
                spacing: Theme.spacing / 2
                Repeater {
                    model: kiosk.optionChoices
                    Rectangle {
                        id: row
                        readonly property var option: modelData
                        width: column.width
                        height: Theme.buttonHeight + Theme.spacing
                        color: index % 2 ? Theme.paper : "#f2f2f2"
                        RowLayout {
                            anchors.fill: parent
                            anchors.margins: Theme.spacing / 2
                            spacing: Theme.spacing
                            KText {
                                Layout.fillWidth: true
                                Layout.fillHeight: true
                                text: Labels.optionKey(row.option.key, kiosk.language)
                                font.bold: true
                            }
                            Repeater {
                                model: row.option.values
                                KButton {
                                    Layout.fillHeight: true
                                    Layout.preferredWidth: row.width * 0.56 / Math.max(2, row.option.values.length)
                                    name: "option-" + row.option.key + "-" + modelData
                                    kind: row.option.value === modelData ? "primary" : "secondary"
                                    text: Labels.optionValue(row.option.key, modelData, kiosk.language)
                                    fontPixelSize: Theme.fontSmall
                                    onClicked: kiosk.setOption(row.option.key, modelData)
                                }
                            }
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
        KButton {
            Layout.alignment: Qt.AlignRight
            Layout.preferredWidth: page.body.width * 0.35
            Layout.preferredHeight: Theme.buttonHeight
            name: "options-done"
            kind: "primary"
            text: qsTr("Next")
            fontPixelSize: Theme.fontTitle
            onClicked: kiosk.optionsDone()
        }
    }
}
