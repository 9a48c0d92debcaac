import QtQuick
import QtQuick.Layouts
import ".."

// The printer needs staff; the print job waits and carries on when the printer is ready again.
ScreenPage {
    title: qsTr("Please call the store staff")
    titleColor: Theme.red
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            color: Theme.red
            radius: Theme.radius
            KText {
                anchors.fill: parent
                anchors.margins: Theme.margin
                text: kiosk.printerReasons.length > 0
                      ? kiosk.printerReasons.map(function (r) { return Labels.printerReason(r, kiosk.language) }).join("\n")
                      : qsTr("The printer needs attention.")
                color: Theme.paper
                font.pixelSize: Theme.fontHuge
                font.bold: true
                horizontalAlignment: Text.AlignHCenter
            }
        }
        KText {
            Layout.fillWidth: true
            Layout.preferredHeight: parent.height * 0.3
            text: qsTr("Your certificate will be printed as soon as the printer is ready. Please do not leave.")
            horizontalAlignment: Text.AlignHCenter
        }
    }
}
