import QtQuick
import QtQuick.Layouts

// The frame of one screen inside Main's Loader: a title line and a body that fills the rest. Screens put
// their content in the body (it is the default property) and size it from `body.width/height`.
Item {
    id: page
    property string title
    property color titleColor: Theme.ink
    default property alias content: body.data
    readonly property alias body: body

    KText {
        id: titleText
        anchors { left: parent.left; right: parent.right; top: parent.top }
        anchors.margins: Theme.margin
        height: page.title === "" ? 0 : Theme.fontTitle * 2.4
        visible: page.title !== ""
        text: page.title
        color: page.titleColor
        font.pixelSize: Theme.fontTitle
        font.bold: true
        horizontalAlignment: Text.AlignHCenter
    }
    Item {
        id: body
        anchors {
            left: parent.left; right: parent.right; bottom: parent.bottom
            top: page.title === "" ? parent.top : titleText.bottom
            leftMargin: Theme.margin; rightMargin: Theme.margin; bottomMargin: Theme.margin
            topMargin: page.title === "" ? Theme.margin : Theme.spacing
        }
    }
}
