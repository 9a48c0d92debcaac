import QtQuick
import QtQuick.Layouts
import ".."

ScreenPage {
    title: qsTr("Preparing your certificate…")
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        Busy {
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: Math.min(parent.height * 0.5, implicitWidth * 1.5)
            Layout.preferredHeight: Layout.preferredWidth
        }
        KText {
            Layout.fillWidth: true
            Layout.fillHeight: true
            text: qsTr("Please wait a moment.")
            horizontalAlignment: Text.AlignHCenter
        }
    }
}
