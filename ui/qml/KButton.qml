import QtQuick
import QtQuick.Layouts

// A touch button: at least Theme.minTouch in both directions, feedback on press only (no hover anywhere).
// `name` tags the MouseArea as objectName "touch:<name>"; the tests check every tagged area's size.
Rectangle {
    id: button

    property string text
    property string name: "button"
    property string kind: "secondary"      // primary (white on blue) | secondary (blue on white) | danger
    property real fontPixelSize: Theme.fontBody
    property alias pressed: area.pressed
    signal clicked()

    implicitWidth: Math.max(Theme.minTouch, label.implicitWidth + 2 * Theme.spacing)
    implicitHeight: Theme.buttonHeight
    Layout.minimumWidth: Theme.minTouch
    Layout.minimumHeight: Theme.minTouch
    radius: Theme.radius
    border.width: Theme.border
    border.color: !enabled ? Theme.disabledInk : kind === "danger" ? Theme.red : Theme.blue
    color: {
        if (!enabled) return Theme.disabledFill
        if (kind === "primary") return area.pressed ? Theme.bluePressed : Theme.blue
        if (kind === "danger") return area.pressed ? Theme.redPressed : Theme.red
        return area.pressed ? Theme.pressedFill : Theme.paper
    }

    KText {
        id: label
        anchors.fill: parent
        anchors.margins: Math.max(Theme.border * 2, Theme.spacing / 2)
        text: button.text
        font.pixelSize: button.fontPixelSize
        font.bold: true
        horizontalAlignment: Text.AlignHCenter
        color: !button.enabled ? Theme.disabledInk
                               : (button.kind === "secondary" ? Theme.blue : Theme.paper)
    }

    MouseArea {
        id: area
        objectName: "touch:" + button.name
        anchors.fill: parent
        enabled: button.enabled
        hoverEnabled: false
        onClicked: button.clicked()
    }
}
