import QtQuick
import QtQuick.Layouts
import ".."

// Seven big buttons, each language named in itself; choosing one continues (kiosk.chooseLanguage).
ScreenPage {
    title: qsTr("Please choose your language")
    GridLayout {
        anchors.fill: parent
        columns: 2
        rowSpacing: Theme.spacing
        columnSpacing: Theme.spacing
        Repeater {
            model: Labels.languages
            KButton {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 1
                Layout.columnSpan: index === Labels.languages.length - 1 ? 2 : 1
                name: "choose-language-" + modelData
                kind: "primary"
                text: Labels.languageName(modelData)
                fontPixelSize: Theme.fontTitle
                onClicked: kiosk.chooseLanguage(modelData)
            }
        }
    }
}
