import QtQuick
import QtQuick.Layouts
import ".."

ScreenPage {
    title: qsTr("The service is paused")
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        KText {
            Layout.fillWidth: true
            Layout.fillHeight: true
            text: qsTr("The store staff have paused the service for maintenance. We are sorry for the inconvenience.")
            font.pixelSize: Theme.fontTitle
            horizontalAlignment: Text.AlignHCenter
        }
        KText {
            Layout.fillWidth: true
            Layout.preferredHeight: parent.height * 0.15
            text: qsTr("Service hours: %1").arg(kiosk.hours)
            horizontalAlignment: Text.AlignHCenter
        }
    }
}
