import QtQuick
import QtQuick.Layouts
import ".."

// PIN entry: the pad sends digits to the controller one by one; QML only learns how many were entered.
ScreenPage {
    id: page
    title: qsTr("Please enter your PIN (4 digits)")
    RowLayout {
        anchors.fill: parent
        spacing: Theme.margin
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacing
            KText {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredHeight: 3
                text: qsTr("The 4-digit PIN for the user certificate that you set when you received the card.")
                horizontalAlignment: Text.AlignHCenter
            }
            PinDots {
                Layout.alignment: Qt.AlignHCenter
                Layout.preferredHeight: dot
                filled: kiosk.pinLength
                slots: 4
            }
            Rectangle {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredHeight: 2
                color: kiosk.triesLeft <= 1 ? Theme.red : Theme.paper
                radius: Theme.radius
                border.color: kiosk.triesLeft <= 1 ? Theme.red : Theme.rule
                border.width: Theme.border
                KText {
                    anchors.fill: parent
                    anchors.margins: Theme.spacing
                    text: qsTr("Tries left: %1").arg(kiosk.triesLeft)
                    color: kiosk.triesLeft <= 1 ? Theme.paper : Theme.ink
                    font.pixelSize: Theme.fontTitle
                    font.bold: true
                    horizontalAlignment: Text.AlignHCenter
                }
            }
            Item { Layout.fillHeight: true; Layout.preferredHeight: 1 }
        }
        Keypad {
            Layout.fillHeight: true
            Layout.preferredWidth: Math.min(page.body.width * 0.5, page.body.height * 0.9)
            prefix: "pin"
            okEnabled: kiosk.pinLength >= 4
            onDigit: (d) => kiosk.pinDigit(d)
            onClear: kiosk.pinClear()
            onBackspace: kiosk.pinBackspace()
            onSubmit: kiosk.pinSubmit()
        }
    }
}
