import QtQuick
import QtQuick.Layouts
import ".."

// Staff PIN: masked like the resident PIN; locked after too many wrong tries (staffLockedSeconds > 0).
ScreenPage {
    id: page
    title: qsTr("Staff: enter the staff PIN")
    readonly property bool locked: kiosk.staffLockedSeconds > 0
    RowLayout {
        anchors.fill: parent
        spacing: Theme.margin
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacing
            Item { Layout.fillHeight: true }
            PinDots {
                Layout.alignment: Qt.AlignHCenter
                Layout.preferredHeight: dot
                filled: kiosk.staffPinLength
                slots: 4
                dot: Math.min(Theme.shortSide * 0.05, page.body.width * 0.4 / (1.6 * Math.max(4, kiosk.staffPinLength)))
            }
            Rectangle {
                visible: page.locked
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.buttonHeight * 1.5
                color: Theme.red
                radius: Theme.radius
                KText {
                    anchors.fill: parent
                    anchors.margins: Theme.spacing
                    text: qsTr("Too many wrong PINs. Try again in %1 s.").arg(kiosk.staffLockedSeconds)
                    color: Theme.paper
                    font.bold: true
                    horizontalAlignment: Text.AlignHCenter
                }
            }
            Item { Layout.fillHeight: true }
        }
        Keypad {
            Layout.fillHeight: true
            Layout.preferredWidth: Math.min(page.body.width * 0.5, page.body.height * 0.9)
            prefix: "staff-pin"
            showClear: false
            keysEnabled: !page.locked
            okEnabled: kiosk.staffPinLength > 0
            onDigit: (d) => kiosk.staffPinDigit(d)
            onBackspace: kiosk.staffPinBackspace()
            onSubmit: kiosk.staffPinSubmit()
        }
    }
}
