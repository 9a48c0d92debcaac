import QtQuick
import QtQuick.Layouts
import ".."

ScreenPage {
    title: qsTr("Please place your My Number card on the reader")
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        KText {
            Layout.fillWidth: true
            Layout.preferredHeight: parent.height * 0.18
            text: qsTr("Place it face up on the card reader and leave it there until the screen asks you to take it.")
            horizontalAlignment: Text.AlignHCenter
        }
        // The card on the reader, drawn.
        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Rectangle {
                anchors.centerIn: parent
                height: Math.min(parent.height * 0.8, parent.width * 0.3)
                width: height * 1.58
                radius: Theme.radius
                color: Theme.paper
                border.color: Theme.blue
                border.width: Theme.border * 2
                KText {
                    anchors.fill: parent
                    anchors.margins: Theme.spacing
                    text: qsTr("My Number card")
                    color: Theme.blue
                    font.bold: true
                    horizontalAlignment: Text.AlignHCenter
                }
            }
        }
        // Demo mode: pretend to place one of the sample cards.
        KText {
            visible: kiosk.demo
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.fontSmall * 1.8
            text: qsTr("Demo: choose a card to place on the reader")
            font.pixelSize: Theme.fontSmall
            color: Theme.muted
            horizontalAlignment: Text.AlignHCenter
        }
        Flickable {
            visible: kiosk.demo
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.buttonHeight
            contentWidth: demoRow.width
            contentHeight: height
            clip: true
            flickableDirection: Flickable.HorizontalFlick
            boundsBehavior: Flickable.StopAtBounds
            Row {
                id: demoRow
                height: parent.height
                spacing: Theme.spacing
                Repeater {
                    model: kiosk.demoCards
                    KButton {
                        height: parent.height
                        width: Math.max(Theme.shortSide * 0.35, implicitWidth)
                        name: "demo-card-" + modelData.index
                        text: modelData.label
                        fontPixelSize: Theme.fontSmall
                        onClicked: kiosk.demoPlaceCard(modelData.index)
                    }
                }
            }
        }
    }
}
