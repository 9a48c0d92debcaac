pragma Singleton
import QtQuick

// Sizes, colours and fonts for every screen. Main.qml feeds in the window size, the screen's pixel density
// and the language; everything else is derived, so a screen never hard-codes a pixel size.
QtObject {
    id: theme

    // Set by Main.qml (Binding elements).
    property real windowWidth: 1920
    property real windowHeight: 1080
    property real pixelDensity: 0            // px per mm, from Screen.pixelDensity (0 when unknown)
    property string language: "ja"

    readonly property real shortSide: Math.max(1, Math.min(windowWidth, windowHeight))

    // Touch targets: at least 15 mm on the glass, and never less than 8% of the shorter window side (a
    // floor for screens that report a bogus or zero density).
    readonly property real minTouch: Math.ceil(Math.max(15 * pixelDensity, 0.08 * shortSide))
    readonly property real buttonHeight: Math.ceil(Math.max(minTouch, 0.1 * shortSide))
    readonly property real bigButtonHeight: Math.ceil(Math.max(minTouch, 0.14 * shortSide))

    readonly property real margin: Math.round(0.03 * shortSide)
    readonly property real spacing: Math.round(0.02 * shortSide)
    readonly property real radius: Math.round(0.012 * shortSide)
    readonly property real border: Math.max(2, Math.round(0.004 * shortSide))

    readonly property real fontHuge: Math.round(0.075 * shortSide)
    readonly property real fontTitle: Math.round(0.052 * shortSide)
    readonly property real fontBody: Math.round(0.036 * shortSide)
    readonly property real fontSmall: Math.round(0.028 * shortSide)
    readonly property real fontMin: Math.max(12, Math.round(0.018 * shortSide))  // fontSizeMode floor

    // High contrast only: dark text on white, white on deep blue or deep red. No pastels, no hover colours.
    readonly property color blue: "#0b3d91"
    readonly property color bluePressed: "#062659"
    readonly property color red: "#a3000b"
    readonly property color redPressed: "#6e0008"
    readonly property color ink: "#111111"
    readonly property color paper: "#ffffff"
    readonly property color page: "#ffffff"
    readonly property color rule: "#4a4a4a"
    readonly property color muted: "#3d3d3d"          // secondary text, still > 10:1 on white
    readonly property color disabledInk: "#4d4d4d"    // greyed-out but readable (> 8:1 on disabledFill)
    readonly property color disabledFill: "#e3e3e3"
    readonly property color pressedFill: "#d6def0"    // press feedback of white buttons

    // Japanese renders with IPAexGothic (Debian fonts-ipaexfont); when fonts-noto-cjk is installed the
    // Noto CJK face of the current language is preferred (Korean and Chinese glyph shapes), and Qt's own
    // font fallback covers Vietnamese and Latin diacritics.
    readonly property var installedFamilies: Qt.fontFamilies()
    function firstInstalled(names) {
        for (var i = 0; i < names.length; ++i)
            if (installedFamilies.indexOf(names[i]) >= 0)
                return names[i]
        return names[names.length - 1]
    }
    readonly property string fontFamily: {
        switch (language) {
        case "zh": return firstInstalled(["Noto Sans CJK SC", "Noto Sans CJK JP", "IPAexGothic"])
        case "ko": return firstInstalled(["Noto Sans CJK KR", "Noto Sans CJK JP", "IPAexGothic"])
        case "vi": case "pt": case "es": case "en":
            return firstInstalled(["Noto Sans CJK JP", "Noto Sans", "DejaVu Sans", "IPAexGothic"])
        default: return firstInstalled(["Noto Sans CJK JP", "IPAexGothic"])
        }
    }

    // 1234 -> "1,234" (yen amounts; the currency word comes from the translation).
    function yen(n) {
        var s = String(Math.round(Number(n) || 0))
        var neg = s.charAt(0) === "-"
        if (neg) s = s.substring(1)
        var out = ""
        while (s.length > 3) {
            out = "," + s.substring(s.length - 3) + out
            s = s.substring(0, s.length - 3)
        }
        return (neg ? "-" : "") + s + out
    }
}
