import QtQuick
import QtQuick.Layouts

// Top bar on every screen: the service name, the inactivity countdown (when the screen has one) and the
// language button (on resident screens).
Rectangle {
    id: header
    property bool showLanguage: true
    signal languageRequested()

    color: Theme.blue
    implicitHeight: Theme.buttonHeight + Theme.spacing

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.margin
        anchors.rightMargin: Theme.margin
        anchors.topMargin: Theme.spacing / 2
        anchors.bottomMargin: Theme.spacing / 2
        spacing: Theme.spacing

        KText {
            Layout.fillWidth: true
            Layout.fillHeight: true
            text: qsTr("Certificate issuance service")
            color: Theme.paper
            font.pixelSize: Theme.fontBody
            font.bold: true
            wrapMode: Text.NoWrap
        }

        // Countdown badge: white on blue, white on red for the last 10 seconds.
        Rectangle {
            objectName: "countdown"
            visible: kiosk.secondsLeft >= 0
            Layout.fillHeight: true
            Layout.preferredWidth: Theme.shortSide * 0.26
            radius: Theme.radius
            color: kiosk.secondsLeft <= 10 ? Theme.red : Theme.blue
            border.color: Theme.paper
            border.width: Theme.border
            KText {
                anchors.fill: parent
                anchors.margins: Theme.spacing / 2
                text: qsTr("%1 s left").arg(Math.max(0, kiosk.secondsLeft))
                color: Theme.paper
                font.bold: true
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.NoWrap
            }
        }

        KButton {
            visible: header.showLanguage
            name: "language"
            Layout.fillHeight: true
            Layout.preferredWidth: Theme.shortSide * 0.34
            // The English word stays next to the translated one so a visitor can always find it.
            text: kiosk.language === "en" ? qsTr("Language") : qsTr("Language") + " / Language"
            fontPixelSize: Theme.fontSmall
            onClicked: header.languageRequested()
        }
    }
}
