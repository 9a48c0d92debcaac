import QtQuick
import QtQuick.Layouts
import ".."

// Staff mode: the state of each part, the counters, and the staff actions.
ScreenPage {
    id: page
    title: qsTr("Staff mode")
    readonly property var st: kiosk.staffStatus || ({})
    readonly property var panels: [
        { name: qsTr("Card reader"),
          value: (st.reader || "—") + " · " + (st.cardPresent ? qsTr("card present") : qsTr("no card")) },
        { name: qsTr("Printer"),
          value: (st.printerState || "—") + ((st.printerReasons && st.printerReasons.length)
                 ? " · " + st.printerReasons.map(function (r) { return Labels.printerReason(r, kiosk.language) }).join(", ")
                 : "") },
        { name: qsTr("Paper"), value: st.paper || "—" },
        { name: qsTr("Municipal backend"), value: st.backendReachable ? qsTr("Reachable") : qsTr("Not reachable") },
        { name: qsTr("Clock skew"),
          value: (st.clockSkewSeconds === null || st.clockSkewSeconds === undefined)
                 ? qsTr("Unknown") : qsTr("%1 s").arg(Number(st.clockSkewSeconds).toFixed(1)) },
        { name: qsTr("Configuration"), value: st.configVersion || "—" },
        { name: qsTr("Service"), value: st.paused ? qsTr("Paused") : qsTr("Running") }
    ]
    readonly property var counterNames: st.counters ? Object.keys(st.counters).sort() : []

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        KText {
            visible: (page.st.message || "") !== ""
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.fontBody * 1.8
            text: page.st.message || ""
            color: Theme.blue
            font.bold: true
        }
        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacing
            GridLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 3
                columns: 2
                rowSpacing: Theme.spacing / 3
                columnSpacing: Theme.spacing
                Repeater {
                    model: page.panels.length * 2
                    KText {
                        readonly property var panel: page.panels[Math.floor(index / 2)]
                        Layout.fillWidth: index % 2 === 1
                        Layout.preferredWidth: index % 2 === 0 ? page.body.width * 0.2 : -1
                        Layout.fillHeight: true
                        text: index % 2 === 0 ? panel.name : panel.value
                        font.pixelSize: Theme.fontSmall
                        font.bold: index % 2 === 0
                        wrapMode: Text.Wrap
                    }
                }
            }
            Rectangle {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 2
                border.color: Theme.rule
                border.width: Theme.border
                radius: Theme.radius
                ColumnLayout {
                    anchors.fill: parent
                    anchors.margins: Theme.spacing / 2
                    spacing: Theme.spacing / 3
                    KText {
                        Layout.fillWidth: true
                        Layout.preferredHeight: Theme.fontSmall * 1.8
                        text: qsTr("Counters")
                        font.pixelSize: Theme.fontSmall
                        font.bold: true
                    }
                    ListView {
                        id: counters
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        clip: true
                        boundsBehavior: Flickable.StopAtBounds
                        model: page.counterNames
                        delegate: Item {
                            width: counters.width
                            height: Theme.fontSmall * 1.8
                            KText {
                                anchors { left: parent.left; top: parent.top; bottom: parent.bottom }
                                width: parent.width * 0.7
                                text: modelData
                                font.pixelSize: Theme.fontSmall
                                wrapMode: Text.NoWrap
                            }
                            KText {
                                anchors { right: parent.right; top: parent.top; bottom: parent.bottom }
                                width: parent.width * 0.3
                                text: String(page.st.counters[modelData])
                                font.pixelSize: Theme.fontSmall
                                horizontalAlignment: Text.AlignRight
                                wrapMode: Text.NoWrap
                            }
                        }
                    }
                }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.buttonHeight
            spacing: Theme.spacing
            KButton {
                Layout.fillWidth: true; Layout.fillHeight: true; Layout.preferredWidth: 1
                name: "staff-test-print"; text: qsTr("Test print"); fontPixelSize: Theme.fontSmall
                onClicked: kiosk.staffTestPrint()
            }
            KButton {
                Layout.fillWidth: true; Layout.fillHeight: true; Layout.preferredWidth: 1
                name: "staff-pause"; text: qsTr("Pause service"); fontPixelSize: Theme.fontSmall
                onClicked: kiosk.staffPause()
            }
            KButton {
                Layout.fillWidth: true; Layout.fillHeight: true; Layout.preferredWidth: 1
                name: "staff-resume"; kind: "primary"; text: qsTr("Resume service"); fontPixelSize: Theme.fontSmall
                onClicked: kiosk.staffResume()
            }
            KButton {
                Layout.fillWidth: true; Layout.fillHeight: true; Layout.preferredWidth: 1
                name: "staff-exit"; kind: "danger"; text: qsTr("Exit the application"); fontPixelSize: Theme.fontSmall
                onClicked: kiosk.staffExit()
            }
        }
    }
}
