import QtQuick

// Masked PIN: one filled dot per digit entered, empty dots for the rest. The digits never reach QML.
Row {
    id: dots
    property int filled: 0
    property int slots: 4
    property real dot: Theme.shortSide * 0.06
    spacing: dot * 0.6
    Repeater {
        model: Math.max(dots.slots, dots.filled)
        Rectangle {
            width: dots.dot
            height: dots.dot
            radius: dots.dot / 2
            border.width: Theme.border
            border.color: Theme.ink
            color: index < dots.filled ? Theme.ink : Theme.paper
        }
    }
}
