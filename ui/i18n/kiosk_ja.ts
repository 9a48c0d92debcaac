<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>Authenticating</name>
    <message>
        <location filename="../qml/screens/Authenticating.qml" line="+6"/>
        <source>Checking your PIN…</source>
        <translation>暗証番号を確認しています…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Please leave the card on the reader and wait.</source>
        <translation>カードを置いたまま、しばらくお待ちください。</translation>
    </message>
</context>
<context>
    <name>Closed</name>
    <message>
        <location filename="../qml/screens/Closed.qml" line="+6"/>
        <source>The service is closed</source>
        <translation>ただいまサービス時間外です</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Opens again: %1</source>
        <translation>次回の開始：%1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Service hours: %1</source>
        <translation>サービス時間：%1</translation>
    </message>
</context>
<context>
    <name>Copies</name>
    <message>
        <location filename="../qml/screens/Copies.qml" line="+7"/>
        <source>How many copies?</source>
        <translation>通数を選んでください</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>%1 copies</source>
        <translation>%1 通</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Up to %1 copies</source>
        <translation>最大 %1 通</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fee: %1 yen</source>
        <translation>手数料：%1円</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Next</source>
        <translation>次へ</translation>
    </message>
</context>
<context>
    <name>Document</name>
    <message>
        <location filename="../qml/screens/Document.qml" line="+9"/>
        <source>Which certificate do you need?</source>
        <translation>必要な証明書を選んでください</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Please ask at your municipal office counter.</source>
        <translation>市区町村の窓口でお申し込みください。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 yen per copy</source>
        <translation>1通 %1円</translation>
    </message>
</context>
<context>
    <name>Error</name>
    <message>
        <location filename="../qml/screens/Error.qml" line="+7"/>
        <source>The procedure could not be completed</source>
        <translation>手続きを完了できませんでした</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>Fee</name>
    <message>
        <location filename="../qml/screens/Fee.qml" line="+8"/>
        <source>Please check your request</source>
        <translation>申請内容をご確認ください</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Certificate</source>
        <translation>証明書</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Contents</source>
        <translation>記載内容</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Copies</source>
        <translation>通数</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 copies</source>
        <translation>%1 通</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Total fee</source>
        <translation>手数料合計</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 yen</source>
        <translation>%1円</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Confirm and pay</source>
        <translation>確認して支払う</translation>
    </message>
</context>
<context>
    <name>Footer</name>
    <message>
        <location filename="../qml/Footer.qml" line="+33"/>
        <source>Back</source>
        <translation>戻る</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Demo: remove the card</source>
        <translation>デモ：カードを取り除く</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Cancel</source>
        <translation>中止</translation>
    </message>
</context>
<context>
    <name>Header</name>
    <message>
        <location filename="../qml/Header.qml" line="+25"/>
        <source>Certificate issuance service</source>
        <translation>証明書交付サービス</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>%1 s left</source>
        <translation>残り %1 秒</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+0"/>
        <source>Language</source>
        <translation>言語</translation>
    </message>
</context>
<context>
    <name>Idle</name>
    <message>
        <location filename="../qml/screens/Idle.qml" line="+19"/>
        <source>Certificates with your My Number card</source>
        <translation>マイナンバーカードで証明書を取得</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Certificate of residence (juminhyo) · Seal registration certificate</source>
        <translation>住民票の写し・印鑑登録証明書</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Touch the screen to start</source>
        <translation>画面にタッチして開始</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Service hours: %1</source>
        <translation>サービス時間：%1</translation>
    </message>
</context>
<context>
    <name>Issuing</name>
    <message>
        <location filename="../qml/screens/Issuing.qml" line="+6"/>
        <source>Preparing your certificate…</source>
        <translation>証明書を準備しています…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Please wait a moment.</source>
        <translation>しばらくお待ちください。</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <location filename="../qml/Keypad.qml" line="+42"/>
        <source>Clear</source>
        <translation>クリア</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Delete</source>
        <translation>1字消す</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../qml/Labels.qml" line="+13"/>
        <source>Certificate of residence (juminhyo)</source>
        <translation>住民票の写し</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seal registration certificate</source>
        <translation>印鑑登録証明書</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Whose entries</source>
        <translation>記載する人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Householder and relationship</source>
        <translation>世帯主・続柄</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Registered domicile (honseki) and its head</source>
        <translation>本籍・筆頭者</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Previous address</source>
        <translation>前住所</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Date of becoming a resident</source>
        <translation>住民となった年月日</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Individual number (My Number)</source>
        <translation>個人番号（マイナンバー）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Only me</source>
        <translation>本人のみ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Whole household</source>
        <translation>世帯全員</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Include</source>
        <translation>記載する</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Do not include</source>
        <translation>記載しない</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A move out of the municipality has been recorded.</source>
        <translation>転出または転出予定の届出がされています。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The seal registration has been cancelled.</source>
        <translation>印鑑登録が廃止されています。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This record is under support measures and cannot be issued here.</source>
        <translation>支援措置の対象のため、この端末では交付できません。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no registered seal.</source>
        <translation>印鑑登録がされていません。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The record is closed.</source>
        <translation>この住民記録は消除されています。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This certificate is not offered at convenience stores.</source>
        <translation>この証明書はコンビニ交付の対象外です。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The card was taken off the reader before the procedure finished.</source>
        <translation>手続きの途中でカードが取り外されました。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This card cannot be used. Please check that it is your My Number card.</source>
        <translation>このカードは使用できません。マイナンバーカードかどうかご確認ください。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate service cannot be reached at the moment.</source>
        <translation>現在、証明書交付システムに接続できません。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate could not be printed.</source>
        <translation>証明書を印刷できませんでした。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate could not be checked, so it was not printed.</source>
        <translation>証明書の内容を確認できなかったため、印刷しませんでした。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The time ran out, so the procedure was cancelled.</source>
        <translation>一定時間操作がなかったため、手続きを中止しました。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This certificate cannot be issued at this kiosk.</source>
        <translation>この証明書はこの端末では交付できません。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sorry, something went wrong (%1).</source>
        <translation>申し訳ありません。エラーが発生しました（%1）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Please ask at your municipal office counter.</source>
        <translation>市区町村の窓口でお申し込みください。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Please call the store staff.</source>
        <translation>店員をお呼びください。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Please try again later.</source>
        <translation>しばらくしてから、もう一度お試しください。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The service is outside its hours.</source>
        <translation>サービス時間外です。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The service is closed for the New Year holidays.</source>
        <translation>年末年始のため、サービスを休止しています。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The store is closed.</source>
        <translation>店舗の営業時間外です。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The municipality has closed the service today.</source>
        <translation>本日は市区町村の都合によりサービスを休止しています。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The service is paused.</source>
        <translation>サービスを一時停止しています。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The service is temporarily unavailable.</source>
        <translation>ただいまサービスをご利用いただけません。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The service is temporarily unavailable. Store staff: this terminal cannot record or print certificates; please call support.</source>
        <translation>ただいまサービスを利用できません。店員の方へ：この端末は証明書を記録・印刷できない状態です。サポート窓口へご連絡ください。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Paper out</source>
        <translation>用紙切れ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paper jam</source>
        <translation>紙詰まり</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cover open</source>
        <translation>カバーが開いています</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Toner empty</source>
        <translation>トナー切れ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Toner low</source>
        <translation>トナー残量わずか</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Printer offline</source>
        <translation>プリンターがオフラインです</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <location filename="../qml/screens/Language.qml" line="+7"/>
        <source>Please choose your language</source>
        <translation>言語を選んでください</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <location filename="../qml/LanguageMenu.qml" line="+34"/>
        <source>Choose a language</source>
        <translation>言語を選んでください</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
</context>
<context>
    <name>LastTry</name>
    <message>
        <location filename="../qml/screens/LastTry.qml" line="+6"/>
        <source>This is your last try</source>
        <translation>次が最後の入力です</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>If this PIN is wrong, the card will be locked and can then only be unlocked at the municipal office counter or by a reset with your signature PIN.</source>
        <translation>暗証番号を間違えるとカードがロックされます。ロックの解除は、市区町村の窓口か、署名用電子証明書の暗証番号による再設定が必要です。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>If you are not sure of your PIN, please go to the municipal office counter instead.</source>
        <translation>暗証番号に自信がない場合は、入力せずに市区町村の窓口へお越しください。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Back (do not use this PIN)</source>
        <translation>戻る（入力し直す）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Try this PIN</source>
        <translation>この暗証番号で確認する</translation>
    </message>
</context>
<context>
    <name>Options</name>
    <message>
        <location filename="../qml/screens/Options.qml" line="+8"/>
        <source>Choose what the certificate shows</source>
        <translation>記載する内容を選んでください</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>Next</source>
        <translation>次へ</translation>
    </message>
</context>
<context>
    <name>Paused</name>
    <message>
        <location filename="../qml/screens/Paused.qml" line="+6"/>
        <source>The service is paused</source>
        <translation>サービスを一時停止しています</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The store staff have paused the service for maintenance. We are sorry for the inconvenience.</source>
        <translation>保守のため、サービスを一時停止しています。ご迷惑をおかけして申し訳ありません。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Service hours: %1</source>
        <translation>サービス時間：%1</translation>
    </message>
</context>
<context>
    <name>Payment</name>
    <message>
        <location filename="../qml/screens/Payment.qml" line="+7"/>
        <source>Please insert the fee</source>
        <translation>手数料をお支払いください</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Insert coins or notes into the payment machine.</source>
        <translation>硬貨または紙幣を入れてください。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Fee</source>
        <translation>手数料</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+12"/>
        <location line="+13"/>
        <location line="+26"/>
        <source>%1 yen</source>
        <translation>%1円</translation>
    </message>
    <message>
        <location line="-45"/>
        <source>Inserted</source>
        <translation>投入金額</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Still to pay</source>
        <translation>不足金額</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Change: %1 yen. Please take it from the tray.</source>
        <translation>おつり %1円をお取りください。</translation>
    </message>
</context>
<context>
    <name>Pin</name>
    <message>
        <location filename="../qml/screens/Pin.qml" line="+8"/>
        <source>Please enter your PIN (4 digits)</source>
        <translation>暗証番号（数字4桁）を入力してください</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The 4-digit PIN for the user certificate that you set when you received the card.</source>
        <translation>カード受け取り時に設定した、利用者証明用電子証明書の暗証番号（数字4桁）です。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Tries left: %1</source>
        <translation>残り %1 回</translation>
    </message>
</context>
<context>
    <name>PinBlocked</name>
    <message>
        <location filename="../qml/screens/PinBlocked.qml" line="+8"/>
        <source>Your PIN is locked</source>
        <translation>暗証番号がロックされています</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The PIN was entered wrongly too many times, so the card&apos;s user certificate is locked. You can unlock it in one of two ways:</source>
        <translation>暗証番号を続けて間違えたため、利用者証明用電子証明書がロックされました。次のどちらかの方法で解除できます。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>1. At your municipal office counter: bring your My Number card.</source>
        <translation>1. 市区町村の窓口：マイナンバーカードをお持ちください。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>2. If you still know your signature PIN (6 to 16 characters): reset the PIN yourself at a Seven-Eleven multi-copy machine with the JPKI smartphone app.</source>
        <translation>2. 署名用電子証明書の暗証番号（英数字6〜16桁）がわかる場合：スマートフォンのJPKI利用者ソフトを使い、セブン‐イレブンのマルチコピー機で再設定できます。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Please take your card with you.</source>
        <translation>カードをお取りください。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>PlaceCard</name>
    <message>
        <location filename="../qml/screens/PlaceCard.qml" line="+6"/>
        <source>Please place your My Number card on the reader</source>
        <translation>マイナンバーカードを置いてください</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Place it face up on the card reader and leave it there until the screen asks you to take it.</source>
        <translation>カードを表向きにしてカードリーダーに置き、取り外す案内が出るまでそのままにしてください。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>My Number card</source>
        <translation>マイナンバーカード</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Demo: choose a card to place on the reader</source>
        <translation>デモ：置くカードを選んでください</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <location filename="../qml/screens/Printing.qml" line="+6"/>
        <source>Printing…</source>
        <translation>印刷しています…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Please do not leave the machine. Printing can take up to 2 minutes.</source>
        <translation>印刷には2分ほどかかることがあります。終わるまでその場でお待ちください。</translation>
    </message>
</context>
<context>
    <name>Reading</name>
    <message>
        <location filename="../qml/screens/Reading.qml" line="+6"/>
        <source>Reading your card…</source>
        <translation>カードを読み取っています…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Please do not move the card.</source>
        <translation>カードを動かさないでください。</translation>
    </message>
</context>
<context>
    <name>RemoveCard</name>
    <message>
        <location filename="../qml/screens/RemoveCard.qml" line="+6"/>
        <source>Please take your card off the reader</source>
        <translation>カードをお取りください</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Your PIN was accepted. Take the card now; the next step starts as soon as the card is off the reader.</source>
        <translation>暗証番号を確認しました。カードを取り外すと、次の画面に進みます。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Keep your card with you.</source>
        <translation>カードはお手元で保管してください。</translation>
    </message>
</context>
<context>
    <name>Staff</name>
    <message>
        <location filename="../qml/screens/Staff.qml" line="+8"/>
        <source>Staff mode</source>
        <translation>店員メニュー</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Card reader</source>
        <translation>カードリーダー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>card present</source>
        <translation>カードあり</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no card</source>
        <translation>カードなし</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Printer</source>
        <translation>プリンター</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Paper</source>
        <translation>用紙</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Municipal backend</source>
        <translation>証明書交付システム</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reachable</source>
        <translation>接続OK</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Not reachable</source>
        <translation>接続できません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clock skew</source>
        <translation>時刻のずれ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Configuration</source>
        <translation>設定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service</source>
        <translation>サービス</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Paused</source>
        <translation>一時停止中</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Running</source>
        <translation>稼働中</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Counters</source>
        <translation>カウンター</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Test print</source>
        <translation>テスト印刷</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Pause service</source>
        <translation>サービス一時停止</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Resume service</source>
        <translation>サービス再開</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Exit the application</source>
        <translation>アプリを終了</translation>
    </message>
</context>
<context>
    <name>StaffCall</name>
    <message>
        <location filename="../qml/screens/StaffCall.qml" line="+7"/>
        <source>Please call the store staff</source>
        <translation>店員をお呼びください</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The printer needs attention.</source>
        <translation>プリンターの点検が必要です。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Your certificate will be printed as soon as the printer is ready. Please do not leave.</source>
        <translation>プリンターが復旧すると証明書を印刷します。その場でお待ちください。</translation>
    </message>
</context>
<context>
    <name>StaffLogin</name>
    <message>
        <location filename="../qml/screens/StaffLogin.qml" line="+8"/>
        <source>Staff: enter the staff PIN</source>
        <translation>店員用暗証番号を入力してください</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Too many wrong PINs. Try again in %1 s.</source>
        <translation>入力の誤りが続いたため、%1 秒間ロックしています。</translation>
    </message>
</context>
<context>
    <name>TakeItems</name>
    <message>
        <location filename="../qml/screens/TakeItems.qml" line="+7"/>
        <source>Please take your card and your certificate</source>
        <translation>カードと証明書をお取りください</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Check that you have your My Number card and all printed pages.</source>
        <translation>マイナンバーカードと、印刷された証明書をすべてお持ちかご確認ください。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Do not forget your change.</source>
        <translation>おつりのお取り忘れにご注意ください。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Stop the sound: I have my card and certificate</source>
        <translation>受け取りました（音声を止める）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>I have my card and certificate</source>
        <translation>受け取りました</translation>
    </message>
</context>
<context>
    <name>ThankYou</name>
    <message>
        <location filename="../qml/screens/ThankYou.qml" line="+12"/>
        <source>Thank you for using the service.</source>
        <translation>ご利用ありがとうございました。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Finish</source>
        <translation>終了</translation>
    </message>
</context>
</TS>
