import QtQuick
import QtQuick.Layouts

// The language switcher over any resident screen: seven buttons, each in its own language, and Close.
// Switching does not leave the current screen (kiosk.setLanguage).
Rectangle {
    id: menu
    signal closeRequested()
    color: "#cc000000"

    MouseArea {            // swallow taps on the dimmed background
        anchors.fill: parent
        hoverEnabled: false
    }

    Rectangle {
        id: panel
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * Theme.margin, Theme.shortSide * 1.1)
        height: parent.height - 2 * Theme.margin
        color: Theme.paper
        radius: Theme.radius
        border.color: Theme.blue
        border.width: Theme.border

        ColumnLayout {
            anchors.fill: parent
            anchors.margins: Theme.margin
            spacing: Theme.spacing

            KText {
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.fontTitle * 1.6
                text: qsTr("Choose a language")
                font.pixelSize: Theme.fontTitle
                font.bold: true
                horizontalAlignment: Text.AlignHCenter
            }
            GridLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                columns: 2
                rowSpacing: Theme.spacing
                columnSpacing: Theme.spacing
                Repeater {
                    model: Labels.languages
                    KButton {
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        Layout.preferredWidth: 1
                        name: "set-language-" + modelData
                        text: Labels.languageName(modelData)
                        kind: kiosk.language === modelData ? "primary" : "secondary"
                        onClicked: {
                            kiosk.setLanguage(modelData)
                            menu.closeRequested()
                        }
                    }
                }
                KButton {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    Layout.preferredWidth: 1
                    name: "language-close"
                    text: qsTr("Close")
                    onClicked: menu.closeRequested()
                }
            }
        }
    }
}
