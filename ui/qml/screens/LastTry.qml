import QtQuick
import QtQuick.Layouts
import ".."

ScreenPage {
    title: qsTr("This is your last try")
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
                text: qsTr("If this PIN is wrong, the card will be locked and can then only be unlocked at the municipal office counter or by a reset with your signature PIN.")
                      + "\n\n" + qsTr("If you are not sure of your PIN, please go to the municipal office counter instead.")
                color: Theme.paper
                font.pixelSize: Theme.fontTitle
                horizontalAlignment: Text.AlignHCenter
            }
        }
        RowLayout {
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.bigButtonHeight
            spacing: Theme.margin
            KButton {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 1
                name: "last-try-back"
                text: qsTr("Back (do not use this PIN)")
                onClicked: kiosk.back()
            }
            KButton {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 1
                name: "last-try-confirm"
                kind: "primary"
                text: qsTr("Try this PIN")
                onClicked: kiosk.confirmLastTry()
            }
        }
    }
}
