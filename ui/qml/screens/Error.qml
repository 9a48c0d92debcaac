import QtQuick
import QtQuick.Layouts
import ".."

// What went wrong (by errorCode class) and what to do next (errorNext: counter, staff, retry).
ScreenPage {
    title: qsTr("The procedure could not be completed")
    titleColor: Theme.red
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        KText {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredHeight: 1
            text: Labels.errorMessage(kiosk.errorCode, kiosk.language)
            horizontalAlignment: Text.AlignHCenter
        }
        Rectangle {
            visible: kiosk.errorNext !== ""
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredHeight: 1
            color: Theme.blue
            radius: Theme.radius
            KText {
                anchors.fill: parent
                anchors.margins: Theme.margin
                text: Labels.errorNext(kiosk.errorNext, kiosk.language)
                color: Theme.paper
                font.pixelSize: Theme.fontTitle
                font.bold: true
                horizontalAlignment: Text.AlignHCenter
            }
        }
        KButton {
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: parent.width * 0.4
            Layout.preferredHeight: Theme.bigButtonHeight
            name: "error-ok"
            kind: "primary"
            text: qsTr("OK")
            fontPixelSize: Theme.fontTitle
            onClicked: kiosk.acknowledge()
        }
    }
}
