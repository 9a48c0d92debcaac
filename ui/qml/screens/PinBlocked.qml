import QtQuick
import QtQuick.Layouts
import ".."

// Both recovery routes (domain.md §2): the counter, or a reset with the signature PIN at a Seven-Eleven
// multi-copy machine using the JPKI smartphone app.
ScreenPage {
    title: qsTr("Your PIN is locked")
    titleColor: Theme.red
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        KText {
            Layout.fillWidth: true
            Layout.preferredHeight: parent.height * 0.17
            text: qsTr("The PIN was entered wrongly too many times, so the card's user certificate is locked. You can unlock it in one of two ways:")
        }
        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredHeight: 1
            border.color: Theme.blue
            border.width: Theme.border
            radius: Theme.radius
            KText {
                anchors.fill: parent
                anchors.margins: Theme.spacing
                text: qsTr("1. At your municipal office counter: bring your My Number card.")
            }
        }
        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredHeight: 1.4
            border.color: Theme.blue
            border.width: Theme.border
            radius: Theme.radius
            KText {
                anchors.fill: parent
                anchors.margins: Theme.spacing
                text: qsTr("2. If you still know your signature PIN (6 to 16 characters): reset the PIN yourself at a Seven-Eleven multi-copy machine with the JPKI smartphone app.")
            }
        }
        KText {
            Layout.fillWidth: true
            Layout.preferredHeight: parent.height * 0.1
            text: qsTr("Please take your card with you.")
            font.bold: true
        }
        KButton {
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: parent.width * 0.4
            Layout.preferredHeight: Theme.bigButtonHeight
            name: "pin-blocked-ok"
            kind: "primary"
            text: qsTr("OK")
            fontPixelSize: Theme.fontTitle
            onClicked: kiosk.acknowledge()
        }
    }
}
