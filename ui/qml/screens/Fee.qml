import QtQuick
import QtQuick.Layouts
import ".."

// What will be issued and what it costs; Confirm starts payment, Back (footer) returns to the copies.
ScreenPage {
    id: page
    title: qsTr("Please check your request")
    readonly property string optionSummary: {
        var lines = []
        var choices = kiosk.optionChoices
        for (var i = 0; i < choices.length; ++i)
            lines.push(Labels.optionKey(choices[i].key, kiosk.language) + ": "
                       + Labels.optionValue(choices[i].key, choices[i].value, kiosk.language))
        return lines.join("\n")
    }
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        GridLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            columns: 2
            rowSpacing: Theme.spacing / 2
            columnSpacing: Theme.spacing
            KText {
                Layout.preferredWidth: page.body.width * 0.25
                Layout.preferredHeight: Theme.fontBody * 1.8
                text: qsTr("Certificate")
                color: Theme.muted
            }
            KText {
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.fontBody * 1.8
                text: Labels.documentName(kiosk.documentType, kiosk.language)
                font.bold: true
            }
            KText {
                visible: page.optionSummary !== ""
                Layout.preferredWidth: page.body.width * 0.25
                Layout.fillHeight: true
                Layout.alignment: Qt.AlignTop
                verticalAlignment: Text.AlignTop
                text: qsTr("Contents")
                color: Theme.muted
            }
            KText {
                visible: page.optionSummary !== ""
                Layout.fillWidth: true
                Layout.fillHeight: true
                verticalAlignment: Text.AlignTop
                text: page.optionSummary
                font.pixelSize: Theme.fontSmall
            }
            KText {
                Layout.preferredWidth: page.body.width * 0.25
                Layout.preferredHeight: Theme.fontBody * 1.8
                text: qsTr("Copies")
                color: Theme.muted
            }
            KText {
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.fontBody * 1.8
                text: qsTr("%1 copies").arg(kiosk.copies)
                font.bold: true
            }
            KText {
                Layout.preferredWidth: page.body.width * 0.25
                Layout.preferredHeight: Theme.fontTitle * 1.6
                text: qsTr("Total fee")
                color: Theme.muted
            }
            KText {
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.fontTitle * 1.6
                text: qsTr("%1 yen").arg(Theme.yen(kiosk.feeYen))
                font.pixelSize: Theme.fontTitle
                font.bold: true
            }
        }
        KButton {
            Layout.alignment: Qt.AlignRight
            Layout.preferredWidth: page.body.width * 0.45
            Layout.preferredHeight: Theme.buttonHeight
            name: "fee-confirm"
            kind: "primary"
            text: qsTr("Confirm and pay")
            fontPixelSize: Theme.fontTitle
            onClicked: kiosk.acceptFee()
        }
    }
}
