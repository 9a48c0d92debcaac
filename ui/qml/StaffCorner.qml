import QtQuick

// Staff gesture: press and hold this small, unlabeled, invisible area in the bottom-left corner of the
// idle, closed and paused screens for 3 seconds to call kiosk.staffGesture(), which opens the staff PIN
// screen. A short tap does nothing. It is deliberately not drawn; store staff learn it from the manual.
Item {
    id: corner
    width: Theme.minTouch
    height: Theme.minTouch
    MouseArea {
        objectName: "touch:staff-gesture"
        anchors.fill: parent
        hoverEnabled: false
        pressAndHoldInterval: 3000
        onPressAndHold: kiosk.staffGesture()
    }
}
