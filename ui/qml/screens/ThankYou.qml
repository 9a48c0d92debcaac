import QtQuick
import QtQuick.Layouts
import ".."

ScreenPage {
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        KText {
            Layout.fillWidth: true
            Layout.fillHeight: true
            text: qsTr("Thank you for using the service.")
            font.pixelSize: Theme.fontHuge
            font.bold: true
            horizontalAlignment: Text.AlignHCenter
        }
        KButton {
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: parent.width * 0.4
            Layout.preferredHeight: Theme.bigButtonHeight
            name: "thank-you-done"
            kind: "primary"
            text: qsTr("Finish")
            fontPixelSize: Theme.fontTitle
            onClicked: kiosk.acknowledge()
        }
    }
}
