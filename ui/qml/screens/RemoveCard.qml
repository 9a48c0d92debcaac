import QtQuick
import QtQuick.Layouts
import ".."

ScreenPage {
    title: qsTr("Please take your card off the reader")
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            color: Theme.blue
            radius: Theme.radius
            KText {
                anchors.fill: parent
                anchors.margins: Theme.margin
                text: qsTr("Your PIN was accepted. Take the card now; the next step starts as soon as the card is off the reader.")
                color: Theme.paper
                font.pixelSize: Theme.fontTitle
                horizontalAlignment: Text.AlignHCenter
            }
        }
        KText {
            Layout.fillWidth: true
            Layout.preferredHeight: parent.height * 0.2
            text: qsTr("Keep your card with you.")
            horizontalAlignment: Text.AlignHCenter
        }
    }
}
