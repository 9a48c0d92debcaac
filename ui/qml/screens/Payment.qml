import QtQuick
import QtQuick.Layouts
import ".."

ScreenPage {
    id: page
    title: qsTr("Please insert the fee")
    readonly property int due: Math.max(0, kiosk.feeYen - kiosk.paidYen)
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        KText {
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.fontBody * 2.2
            text: qsTr("Insert coins or notes into the payment machine.")
            horizontalAlignment: Text.AlignHCenter
        }
        GridLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            columns: 2
            rowSpacing: Theme.spacing / 2
            columnSpacing: Theme.spacing
            KText {
                Layout.preferredWidth: page.body.width * 0.45
                Layout.fillHeight: true
                text: qsTr("Fee")
                horizontalAlignment: Text.AlignRight
            }
            KText {
                Layout.fillWidth: true
                Layout.fillHeight: true
                text: qsTr("%1 yen").arg(Theme.yen(kiosk.feeYen))
                font.bold: true
            }
            KText {
                Layout.preferredWidth: page.body.width * 0.45
                Layout.fillHeight: true
                text: qsTr("Inserted")
                horizontalAlignment: Text.AlignRight
            }
            KText {
                Layout.fillWidth: true
                Layout.fillHeight: true
                text: qsTr("%1 yen").arg(Theme.yen(kiosk.paidYen))
                font.bold: true
            }
            KText {
                Layout.preferredWidth: page.body.width * 0.45
                Layout.fillHeight: true
                text: qsTr("Still to pay")
                font.pixelSize: Theme.fontTitle
                horizontalAlignment: Text.AlignRight
            }
            KText {
                Layout.fillWidth: true
                Layout.fillHeight: true
                text: qsTr("%1 yen").arg(Theme.yen(page.due))
                color: Theme.blue
                font.pixelSize: Theme.fontTitle
                font.bold: true
            }
        }
        KText {
            visible: kiosk.changeYen > 0
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.fontBody * 1.8
            text: qsTr("Change: %1 yen. Please take it from the tray.").arg(Theme.yen(kiosk.changeYen))
            horizontalAlignment: Text.AlignHCenter
        }
        // Demo mode: a virtual coin slot.
        RowLayout {
            visible: kiosk.demo
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.buttonHeight
            spacing: Theme.spacing
            Repeater {
                model: [10, 50, 100, 500, 1000]
                KButton {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    Layout.preferredWidth: 1
                    name: "demo-coin-" + modelData
                    text: qsTr("%1 yen").arg(Theme.yen(modelData))
                    fontPixelSize: Theme.fontSmall
                    onClicked: kiosk.insertCoin(modelData)
                }
            }
        }
    }
}
