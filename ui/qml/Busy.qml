import QtQuick

// A busy indicator: a ring of dots whose brightness walks round. Nothing rotates, so the item's box stays put.
Item {
    id: busy
    property int count: 10
    property int lit: 0
    implicitWidth: Theme.shortSide * 0.16
    implicitHeight: implicitWidth

    Timer {
        interval: 90
        running: busy.visible
        repeat: true
        onTriggered: busy.lit = (busy.lit + 1) % busy.count
    }
    Repeater {
        model: busy.count
        Rectangle {
            readonly property real d: Math.min(busy.width, busy.height) * 0.16
            readonly property real r: (Math.min(busy.width, busy.height) - d) / 2
            readonly property real a: 2 * Math.PI * index / busy.count
            width: d
            height: d
            radius: d / 2
            color: Theme.blue
            x: busy.width / 2 + r * Math.sin(a) - d / 2
            y: busy.height / 2 - r * Math.cos(a) - d / 2
            opacity: 0.15 + 0.85 * (((index - busy.lit + busy.count) % busy.count) / (busy.count - 1))
        }
    }
}
