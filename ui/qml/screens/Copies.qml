import QtQuick
import QtQuick.Layouts
import ".."

ScreenPage {
    id: page
    title: qsTr("How many copies?")
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        KText {
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.fontBody * 1.8
            text: Labels.documentName(kiosk.documentType, kiosk.language)
            color: Theme.blue
            font.bold: true
            horizontalAlignment: Text.AlignHCenter
        }
        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.margin
            Item { Layout.fillWidth: true }
            KButton {
                Layout.preferredWidth: Theme.bigButtonHeight * 1.3
                Layout.preferredHeight: Theme.bigButtonHeight * 1.3
                Layout.alignment: Qt.AlignVCenter
                name: "copies-minus"
                text: "−"
                fontPixelSize: Theme.fontHuge
                enabled: kiosk.copies > 1
                onClicked: kiosk.setCopies(kiosk.copies - 1)
            }
            KText {
                Layout.preferredWidth: page.body.width * 0.3
                Layout.fillHeight: true
                text: qsTr("%1 copies").arg(kiosk.copies)
                font.pixelSize: Theme.fontHuge * 1.3
                font.bold: true
                horizontalAlignment: Text.AlignHCenter
            }
            KButton {
                Layout.preferredWidth: Theme.bigButtonHeight * 1.3
                Layout.preferredHeight: Theme.bigButtonHeight * 1.3
                Layout.alignment: Qt.AlignVCenter
                name: "copies-plus"
                text: "+"
                fontPixelSize: Theme.fontHuge
                enabled: kiosk.copies < kiosk.maxCopies
                onClicked: kiosk.setCopies(kiosk.copies + 1)
            }
            Item { Layout.fillWidth: true }
        }
        KText {
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.fontBody * 1.8
            text: qsTr("Up to %1 copies").arg(kiosk.maxCopies) + "   " + qsTr("Fee: %1 yen").arg(Theme.yen(kiosk.feeYen))
            horizontalAlignment: Text.AlignHCenter
        }
        KButton {
            Layout.alignment: Qt.AlignRight
            Layout.preferredWidth: page.body.width * 0.35
            Layout.preferredHeight: Theme.buttonHeight
            name: "copies-done"
            kind: "primary"
            text: qsTr("Next")
            fontPixelSize: Theme.fontTitle
            onClicked: kiosk.copiesDone()
        }
    }
}
