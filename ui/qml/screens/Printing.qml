import QtQuick
import QtQuick.Layouts
import ".."

ScreenPage {
    title: qsTr("Printing…")
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        Busy {
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: Math.min(parent.height * 0.4, implicitWidth * 1.5)
            Layout.preferredHeight: Layout.preferredWidth
        }
        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            color: Theme.blue
            radius: Theme.radius
            KText {
                anchors.fill: parent
                anchors.margins: Theme.margin
                text: qsTr("Please do not leave the machine. Printing can take up to 2 minutes.")
                color: Theme.paper
                font.pixelSize: Theme.fontTitle
                font.bold: true
                horizontalAlignment: Text.AlignHCenter
            }
        }
    }
}
