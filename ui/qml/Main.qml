import QtQuick
import QtQuick.Window
import QtQuick.Layouts
import "screens" as Screens

// The kiosk's whole front end. The root is an Item that fills a QQuickView (SizeRootObjectToView). It only
// shows the controller's properties and calls its slots: the controller is the context property `kiosk`
// (ui/controller.py in the app, FakeKiosk in tests/ui/qml_rig.py). The screen shown is `kiosk.screen`, the
// value of a kiosk.flow.State; each value shows screens/<CamelCase>.qml (map below).
Item {
    id: root
    objectName: "root"
    width: 1920
    height: 1080

    // For tests and tools: the touch-target minimum the Theme derived for this window.
    readonly property real minTouch: Theme.minTouch
    property bool languageMenuOpen: false
    readonly property string screenName: kiosk.screen
    readonly property alias screenItem: loader.item

    Binding { target: Theme; property: "windowWidth"; value: root.width }
    Binding { target: Theme; property: "windowHeight"; value: root.height }
    Binding { target: Theme; property: "pixelDensity"; value: Screen.pixelDensity }
    Binding { target: Theme; property: "language"; value: kiosk.language }

    // Each flow State value -> the component of screens/<CamelCase>.qml. The screens are compiled with Main.qml
    // (declared below, not loaded by URL at switch time): a Loader `source` would make QML's type-loader
    // thread load the file while the GUI thread waits, and the type loader calls QCoreApplication::translate,
    // which deadlocks on the GIL when the installed QTranslator is a PySide object. So: no QML file is
    // loaded after Main.qml, and the app installs its translator only after QQuickView.setSource().
    readonly property var screens: ({
        "idle": screenIdle,
        "closed": screenClosed,
        "language": screenLanguage,
        "place-card": screenPlaceCard,
        "reading": screenReading,
        "pin": screenPin,
        "last-try": screenLastTry,
        "authenticating": screenAuthenticating,
        "pin-blocked": screenPinBlocked,
        "remove-card": screenRemoveCard,
        "document": screenDocument,
        "options": screenOptions,
        "copies": screenCopies,
        "fee": screenFee,
        "payment": screenPayment,
        "issuing": screenIssuing,
        "printing": screenPrinting,
        "staff-call": screenStaffCall,
        "take-items": screenTakeItems,
        "thank-you": screenThankYou,
        "error": screenError,
        "paused": screenPaused,
        "staff-login": screenStaffLogin,
        "staff": screenStaff
    })
    Component { id: screenIdle; Screens.Idle {} }
    Component { id: screenClosed; Screens.Closed {} }
    Component { id: screenLanguage; Screens.Language {} }
    Component { id: screenPlaceCard; Screens.PlaceCard {} }
    Component { id: screenReading; Screens.Reading {} }
    Component { id: screenPin; Screens.Pin {} }
    Component { id: screenLastTry; Screens.LastTry {} }
    Component { id: screenAuthenticating; Screens.Authenticating {} }
    Component { id: screenPinBlocked; Screens.PinBlocked {} }
    Component { id: screenRemoveCard; Screens.RemoveCard {} }
    Component { id: screenDocument; Screens.Document {} }
    Component { id: screenOptions; Screens.Options {} }
    Component { id: screenCopies; Screens.Copies {} }
    Component { id: screenFee; Screens.Fee {} }
    Component { id: screenPayment; Screens.Payment {} }
    Component { id: screenIssuing; Screens.Issuing {} }
    Component { id: screenPrinting; Screens.Printing {} }
    Component { id: screenStaffCall; Screens.StaffCall {} }
    Component { id: screenTakeItems; Screens.TakeItems {} }
    Component { id: screenThankYou; Screens.ThankYou {} }
    Component { id: screenError; Screens.Error {} }
    Component { id: screenPaused; Screens.Paused {} }
    Component { id: screenStaffLogin; Screens.StaffLogin {} }
    Component { id: screenStaff; Screens.Staff {} }
    // Screens where the flow defines CANCEL (kiosk/flow.py: the resident screens before paper moves, and
    // the staff PIN screen), and BACK (last-try has its own Back button in the page).
    readonly property var cancelScreens: ["language", "place-card", "reading", "pin", "last-try",
        "authenticating", "remove-card", "document", "options", "copies", "fee", "payment", "issuing", "staff-login"]
    readonly property var backScreens: ["options", "copies", "fee"]
    // No language button where it is pointless (attract, the language screen itself) or for staff.
    readonly property var noLanguageScreens: ["idle", "language", "staff-login", "staff"]
    readonly property var staffGestureScreens: ["idle", "closed", "paused"]

    onScreenNameChanged: languageMenuOpen = false

    Rectangle {
        anchors.fill: parent
        color: Theme.page
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        Header {
            id: header
            Layout.fillWidth: true
            Layout.preferredHeight: implicitHeight
            showLanguage: root.noLanguageScreens.indexOf(root.screenName) < 0
            onLanguageRequested: root.languageMenuOpen = true
        }
        Loader {
            id: loader
            Layout.fillWidth: true
            Layout.fillHeight: true
            sourceComponent: root.screens[root.screenName] || screenError
        }
        Footer {
            Layout.fillWidth: true
            Layout.preferredHeight: implicitHeight
            showBack: root.backScreens.indexOf(root.screenName) >= 0
            showCancel: root.cancelScreens.indexOf(root.screenName) >= 0
            showRemoveCard: kiosk.demo && kiosk.cardPresent
        }
    }

    StaffCorner {
        anchors.left: parent.left
        anchors.bottom: parent.bottom
        visible: root.staffGestureScreens.indexOf(root.screenName) >= 0
        z: 10
    }

    LanguageMenu {
        anchors.fill: parent
        visible: root.languageMenuOpen
        z: 20
        onCloseRequested: root.languageMenuOpen = false
    }

    // Any touch anywhere restarts the screen's inactivity countdown. A PointHandler only watches (passive
    // grab), so the buttons underneath still get the press.
    Item {
        anchors.fill: parent
        z: 100
        PointHandler {
            onActiveChanged: if (active) kiosk.touched()
        }
    }
}
