import QtQuick
import QtQuick.Layouts
import ".."

// The reminder: the controller repeats a sound until the resident presses the button (kiosk.acknowledge).
ScreenPage {
    title: qsTr("Please take your card and your certificate")
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        KText {
            Layout.fillWidth: true
            Layout.fillHeight: true
            text: qsTr("Check that you have your My Number card and all printed pages.")
                  + (kiosk.changeYen > 0 ? "\n" + qsTr("Do not forget your change.") : "")
            font.pixelSize: Theme.fontTitle
            horizontalAlignment: Text.AlignHCenter
        }
        KButton {
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: parent.width * 0.8
            Layout.preferredHeight: Theme.bigButtonHeight * 1.4
            name: "take-items-ack"
            kind: "primary"
            text: kiosk.reminderActive ? qsTr("Stop the sound: I have my card and certificate")
                                       : qsTr("I have my card and certificate")
            fontPixelSize: Theme.fontTitle
            onClicked: kiosk.acknowledge()
        }
    }
}
