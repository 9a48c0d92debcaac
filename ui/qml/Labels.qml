pragma Singleton
import QtQuick

// Words for the codes the controller sends (documents, options, refusals, errors, closures, printer
// reasons). Unknown codes are shown raw: a new code must never blank a screen.
//
// Every function takes the current language as its last argument and ignores it: passing
// `kiosk.language` makes the calling binding depend on it, so the text is re-evaluated when the language
// changes even where QQmlEngine::retranslate() does not see a qsTr() in the binding itself.
QtObject {
    function documentName(type, lang) {
        switch (type) {
        case "juminhyo": return qsTr("Certificate of residence (juminhyo)")
        case "inkan": return qsTr("Seal registration certificate")
        default: return type
        }
    }

    function optionKey(key, lang) {
        switch (key) {
        case "members": return qsTr("Whose entries")
        case "householder": return qsTr("Householder and relationship")
        case "honseki": return qsTr("Registered domicile (honseki) and its head")
        case "previous-address":
        case "previous_address": return qsTr("Previous address")
        case "became-resident":
        case "moved_in": return qsTr("Date of becoming a resident")
        case "my_number": return qsTr("Individual number (My Number)")
        default: return key
        }
    }

    function optionValue(key, value, lang) {
        if (key === "members") {
            if (value === "self") return qsTr("Only me")
            if (value === "all") return qsTr("Whole household")
        }
        // The reference backend says include/omit; other backends may say yes/no.
        if (value === "yes" || value === "include") return qsTr("Include")
        if (value === "no" || value === "omit") return qsTr("Do not include")
        return value
    }

    function refusal(code, lang) {
        switch (code) {
        case "moved-out": return qsTr("A move out of the municipality has been recorded.")
        case "seal-cancelled": return qsTr("The seal registration has been cancelled.")
        case "support-measures": return qsTr("This record is under support measures and cannot be issued here.")
        case "no-seal": return qsTr("There is no registered seal.")
        case "deceased": return qsTr("The record is closed.")
        case "not-offered": return qsTr("This certificate is not offered at convenience stores.")
        case "": return ""
        default: return code
        }
    }

    // errorCode is "class" or "class:detail" (refused:<refusal code>).
    function errorMessage(code, lang) {
        var cls = code.split(":")[0]
        var detail = code.indexOf(":") >= 0 ? code.substring(code.indexOf(":") + 1) : ""
        switch (cls) {
        case "card-removed": return qsTr("The card was taken off the reader before the procedure finished.")
        case "card-unusable": return qsTr("This card cannot be used. Please check that it is your My Number card.")
        case "backend-unavailable": return qsTr("The certificate service cannot be reached at the moment.")
        case "print-failed": return qsTr("The certificate could not be printed.")
        case "document-invalid": return qsTr("The certificate could not be checked, so it was not printed.")
        case "timeout": return qsTr("The time ran out, so the procedure was cancelled.")
        case "refused": {
            var why = refusal(detail, lang)
            return qsTr("This certificate cannot be issued at this kiosk.") + (why ? "\n" + why : "")
        }
        default: return qsTr("Sorry, something went wrong (%1).").arg(code)
        }
    }

    function errorNext(next, lang) {
        switch (next) {
        case "counter": return qsTr("Please ask at your municipal office counter.")
        case "staff": return qsTr("Please call the store staff.")
        case "retry": return qsTr("Please try again later.")
        default: return ""
        }
    }

    function closedReason(code, lang) {
        switch (code) {
        case "before-hours":
        case "after-hours": return qsTr("The service is outside its hours.")
        case "year-end": return qsTr("The service is closed for the New Year holidays.")
        case "store-closed": return qsTr("The store is closed.")
        case "maintenance":
        case "closure":
        case "holiday":
        case "document-hours":
        case "municipal-holiday": return qsTr("The municipality has closed the service today.")
        case "paused": return qsTr("The service is paused.")
        case "clock-untrusted": return qsTr("The service is temporarily unavailable.")
        default:
            // journal-disk-full, journal-read-only, printer-unavailable, ...: the terminal itself is unwell
            if (code.indexOf("journal-") === 0 || code === "printer-unavailable")
                return qsTr("The service is temporarily unavailable. Store staff: this terminal cannot record or print certificates; please call support.")
            return code
        }
    }

    // IPP printer-state-reasons, with or without the -error/-warning/-report suffix.
    function printerReason(reason, lang) {
        var r = String(reason).replace(/-(error|warning|report)$/, "")
        switch (r) {
        case "media-empty": case "media-needed": return qsTr("Paper out")
        case "media-jam": return qsTr("Paper jam")
        case "cover-open": case "door-open": return qsTr("Cover open")
        case "toner-empty": case "marker-supply-empty": return qsTr("Toner empty")
        case "toner-low": case "marker-supply-low": return qsTr("Toner low")
        case "offline": case "shutdown": return qsTr("Printer offline")
        default: return reason
        }
    }

    function languageName(code) {
        // Each language in its own language: these are never translated.
        switch (code) {
        case "ja": return "日本語"
        case "en": return "English"
        case "zh": return "中文"
        case "ko": return "한국어"
        case "pt": return "Português"
        case "es": return "Español"
        case "vi": return "Tiếng Việt"
        default: return code
        }
    }

    readonly property var languages: ["ja", "en", "zh", "ko", "pt", "es", "vi"]
}
