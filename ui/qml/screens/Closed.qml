import QtQuick
import QtQuick.Layouts
import ".."

ScreenPage {
    title: qsTr("The service is closed")
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        KText {
            Layout.fillWidth: true
            Layout.preferredHeight: parent.height * 0.2
            text: Labels.closedReason(kiosk.closedReason, kiosk.language)
            horizontalAlignment: Text.AlignHCenter
        }
        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            color: Theme.blue
            radius: Theme.radius
            KText {
                anchors.fill: parent
                anchors.margins: Theme.margin
                visible: kiosk.opensAt !== ""
                text: qsTr("Opens again: %1").arg(kiosk.opensAt)
                color: Theme.paper
                font.pixelSize: Theme.fontHuge
                font.bold: true
                horizontalAlignment: Text.AlignHCenter
            }
        }
        KText {
            Layout.fillWidth: true
            Layout.preferredHeight: parent.height * 0.15
            text: qsTr("Service hours: %1").arg(kiosk.hours)
            horizontalAlignment: Text.AlignHCenter
        }
    }
}
