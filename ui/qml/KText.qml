import QtQuick

// Text that never overflows its box: it wraps, then shrinks (down to Theme.fontMin), then elides. Give it
// a width and a height (anchors or Layout.*); the tests fail on any Text whose content does not fit or
// that had to elide.
Text {
    color: Theme.ink
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontBody
    wrapMode: Text.Wrap
    fontSizeMode: Text.Fit
    minimumPixelSize: Theme.fontMin
    elide: Text.ElideRight
    verticalAlignment: Text.AlignVCenter
    textFormat: Text.PlainText
}
