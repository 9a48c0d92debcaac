import QtQuick
import QtQuick.Layouts

// On-screen number pad: a fixed 3×4 grid (1–9, then clear, 0, backspace) and a wide OK key below. The
// layout is fixed rather than shuffled so that residents who rely on the raised dot of the 5 key on the
// physical pads they know, or on position, find the keys where they expect them.
GridLayout {
    id: pad
    property string prefix: "pin"
    property bool showClear: true
    property bool okEnabled: true
    property bool keysEnabled: true
    signal digit(int d)
    signal clear()
    signal backspace()
    signal submit()

    columns: 3
    rowSpacing: Theme.spacing * 0.6
    columnSpacing: Theme.spacing * 0.6

    Repeater {
        model: [1, 2, 3, 4, 5, 6, 7, 8, 9]
        KButton {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 1
            Layout.preferredHeight: 1
            name: pad.prefix + "-digit-" + modelData
            text: String(modelData)
            fontPixelSize: Theme.fontTitle
            enabled: pad.keysEnabled
            onClicked: pad.digit(modelData)
        }
    }
    KButton {
        Layout.fillWidth: true
        Layout.fillHeight: true
        Layout.preferredWidth: 1
        Layout.preferredHeight: 1
        name: pad.prefix + "-clear"
        text: qsTr("Clear")
        visible: pad.showClear
        enabled: pad.keysEnabled
        onClicked: pad.clear()
    }
    Item {
        visible: !pad.showClear
        Layout.fillWidth: true
        Layout.fillHeight: true
        Layout.preferredWidth: 1
        Layout.preferredHeight: 1
    }
    KButton {
        Layout.fillWidth: true
        Layout.fillHeight: true
        Layout.preferredWidth: 1
        Layout.preferredHeight: 1
        name: pad.prefix + "-digit-0"
        text: "0"
        fontPixelSize: Theme.fontTitle
        enabled: pad.keysEnabled
        onClicked: pad.digit(0)
    }
    KButton {
        Layout.fillWidth: true
        Layout.fillHeight: true
        Layout.preferredWidth: 1
        Layout.preferredHeight: 1
        name: pad.prefix + "-backspace"
        text: qsTr("Delete")
        enabled: pad.keysEnabled
        onClicked: pad.backspace()
    }
    KButton {
        Layout.columnSpan: 3
        Layout.fillWidth: true
        Layout.fillHeight: true
        Layout.preferredWidth: 1
        Layout.preferredHeight: 1
        name: pad.prefix + "-ok"
        kind: "primary"
        text: qsTr("OK")
        fontPixelSize: Theme.fontTitle
        enabled: pad.keysEnabled && pad.okEnabled
        onClicked: pad.submit()
    }
}
