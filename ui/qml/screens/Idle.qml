import QtQuick
import QtQuick.Layouts
import ".."

// Attract screen: a tap anywhere starts (kiosk.start). The staff gesture lives in Main (StaffCorner).
ScreenPage {
    MouseArea {
        objectName: "touch:start"
        anchors.fill: parent
        hoverEnabled: false
        onClicked: kiosk.start()
    }
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        KText {
            Layout.fillWidth: true
            Layout.preferredHeight: parent.height * 0.16
            text: qsTr("Certificates with your My Number card")
            font.pixelSize: Theme.fontHuge
            font.bold: true
            horizontalAlignment: Text.AlignHCenter
        }
        KText {
            Layout.fillWidth: true
            Layout.preferredHeight: parent.height * 0.1
            text: qsTr("Certificate of residence (juminhyo) · Seal registration certificate")
            horizontalAlignment: Text.AlignHCenter
        }
        Rectangle {
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: parent.width * 0.7
            Layout.fillHeight: true
            Layout.minimumHeight: Theme.bigButtonHeight
            color: Theme.blue
            radius: Theme.radius
            KText {
                anchors.fill: parent
                anchors.margins: Theme.margin
                text: qsTr("Touch the screen to start")
                color: Theme.paper
                font.pixelSize: Theme.fontHuge
                font.bold: true
                horizontalAlignment: Text.AlignHCenter
            }
        }
        KText {
            Layout.fillWidth: true
            Layout.preferredHeight: parent.height * 0.09
            text: qsTr("Service hours: %1").arg(kiosk.hours)
            horizontalAlignment: Text.AlignHCenter
        }
        KText {
            // The language hint: each name in its own language, never translated.
            Layout.fillWidth: true
            Layout.preferredHeight: parent.height * 0.08
            text: "日本語 · English · 中文 · 한국어 · Português · Español · Tiếng Việt"
            color: Theme.muted
            font.pixelSize: Theme.fontSmall
            horizontalAlignment: Text.AlignHCenter
        }
    }
}
