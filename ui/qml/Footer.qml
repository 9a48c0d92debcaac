import QtQuick
import QtQuick.Layouts

// Bottom bar: Back where the flow has BACK, Cancel where it has CANCEL, and in demo mode a "remove card"
// button while a card is in the reader. It collapses to nothing when it has no button to show.
Rectangle {
    id: footer
    property bool showBack: false
    property bool showCancel: false
    property bool showRemoveCard: false
    readonly property bool used: showBack || showCancel || showRemoveCard

    color: Theme.paper
    implicitHeight: used ? Theme.buttonHeight + 2 * Theme.spacing : 0
    visible: used

    Rectangle {
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: Theme.border
        color: Theme.rule
    }

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        anchors.leftMargin: Theme.margin
        anchors.rightMargin: Theme.margin
        spacing: Theme.spacing

        KButton {
            visible: footer.showBack
            name: "back"
            text: qsTr("Back")
            Layout.fillHeight: true
            Layout.preferredWidth: Theme.shortSide * 0.3
            onClicked: kiosk.back()
        }
        Item { Layout.fillWidth: true; Layout.fillHeight: true }
        KButton {
            visible: footer.showRemoveCard
            name: "demo-remove-card"
            text: qsTr("Demo: remove the card")
            fontPixelSize: Theme.fontSmall
            Layout.fillHeight: true
            Layout.preferredWidth: Theme.shortSide * 0.4
            onClicked: kiosk.demoRemoveCard()
        }
        Item { Layout.fillWidth: true; Layout.fillHeight: true }
        KButton {
            visible: footer.showCancel
            name: "cancel"
            kind: "danger"
            text: qsTr("Cancel")
            Layout.fillHeight: true
            Layout.preferredWidth: Theme.shortSide * 0.3
            onClicked: kiosk.cancel()
        }
    }
}
