<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Authenticating</name>
    <message>
        <location filename="../qml/screens/Authenticating.qml" line="+6"/>
        <source>Checking your PIN…</source>
        <translation>正在核对密码…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Please leave the card on the reader and wait.</source>
        <translation>请将卡片继续放在读卡器上，稍候。</translation>
    </message>
</context>
<context>
    <name>Closed</name>
    <message>
        <location filename="../qml/screens/Closed.qml" line="+6"/>
        <source>The service is closed</source>
        <translation>当前不在服务时间内</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Opens again: %1</source>
        <translation>下次开始服务：%1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Service hours: %1</source>
        <translation>服务时间：%1</translation>
    </message>
</context>
<context>
    <name>Copies</name>
    <message>
        <location filename="../qml/screens/Copies.qml" line="+7"/>
        <source>How many copies?</source>
        <translation>请选择份数</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>%1 copies</source>
        <translation>%1 份</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Up to %1 copies</source>
        <translation>最多 %1 份</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fee: %1 yen</source>
        <translation>手续费：%1日元</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
</context>
<context>
    <name>Document</name>
    <message>
        <location filename="../qml/screens/Document.qml" line="+9"/>
        <source>Which certificate do you need?</source>
        <translation>请选择所需的证明书</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Please ask at your municipal office counter.</source>
        <translation>请到市区町村政府窗口申请。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 yen per copy</source>
        <translation>每份 %1日元</translation>
    </message>
</context>
<context>
    <name>Error</name>
    <message>
        <location filename="../qml/screens/Error.qml" line="+7"/>
        <source>The procedure could not be completed</source>
        <translation>无法完成手续</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>OK</source>
        <translation>确定</translation>
    </message>
</context>
<context>
    <name>Fee</name>
    <message>
        <location filename="../qml/screens/Fee.qml" line="+8"/>
        <source>Please check your request</source>
        <translation>请确认申请内容</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Certificate</source>
        <translation>证明书</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Contents</source>
        <translation>记载内容</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Copies</source>
        <translation>份数</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 copies</source>
        <translation>%1 份</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Total fee</source>
        <translation>手续费合计</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 yen</source>
        <translation>%1日元</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Confirm and pay</source>
        <translation>确认并付款</translation>
    </message>
</context>
<context>
    <name>Footer</name>
    <message>
        <location filename="../qml/Footer.qml" line="+33"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Demo: remove the card</source>
        <translation>演示：取下卡片</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>Header</name>
    <message>
        <location filename="../qml/Header.qml" line="+25"/>
        <source>Certificate issuance service</source>
        <translation>证明书发行服务</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>%1 s left</source>
        <translation>剩余 %1 秒</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+0"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
</context>
<context>
    <name>Idle</name>
    <message>
        <location filename="../qml/screens/Idle.qml" line="+19"/>
        <source>Certificates with your My Number card</source>
        <translation>使用个人编号卡（My Number卡）领取证明书</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Certificate of residence (juminhyo) · Seal registration certificate</source>
        <translation>住民票副本（住民票の写し）· 印章登记证明书（印鑑登録証明書）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Touch the screen to start</source>
        <translation>请触摸屏幕开始</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Service hours: %1</source>
        <translation>服务时间：%1</translation>
    </message>
</context>
<context>
    <name>Issuing</name>
    <message>
        <location filename="../qml/screens/Issuing.qml" line="+6"/>
        <source>Preparing your certificate…</source>
        <translation>正在准备证明书…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Please wait a moment.</source>
        <translation>请稍候。</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <location filename="../qml/Keypad.qml" line="+42"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Delete</source>
        <translation>删除一位</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>OK</source>
        <translation>确定</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../qml/Labels.qml" line="+13"/>
        <source>Certificate of residence (juminhyo)</source>
        <translation>住民票副本（住民票の写し）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seal registration certificate</source>
        <translation>印章登记证明书（印鑑登録証明書）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Whose entries</source>
        <translation>记载对象</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Householder and relationship</source>
        <translation>户主及与户主的关系</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Registered domicile (honseki) and its head</source>
        <translation>本籍及笔头者</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Previous address</source>
        <translation>前住址</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Date of becoming a resident</source>
        <translation>成为居民的日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Individual number (My Number)</source>
        <translation>个人编号（My Number）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Only me</source>
        <translation>仅本人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Whole household</source>
        <translation>户内全员</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Include</source>
        <translation>记载</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Do not include</source>
        <translation>不记载</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A move out of the municipality has been recorded.</source>
        <translation>已办理迁出或预定迁出的申报。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The seal registration has been cancelled.</source>
        <translation>印章登记已被废止。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This record is under support measures and cannot be issued here.</source>
        <translation>此记录属于支援措施对象，无法在本终端发行。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no registered seal.</source>
        <translation>尚未进行印章登记。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The record is closed.</source>
        <translation>该居民记录已被注销。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This certificate is not offered at convenience stores.</source>
        <translation>此证明书不在便利店发行范围内。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The card was taken off the reader before the procedure finished.</source>
        <translation>手续完成前卡片被取下了。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This card cannot be used. Please check that it is your My Number card.</source>
        <translation>此卡无法使用。请确认是否为您的个人编号卡。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate service cannot be reached at the moment.</source>
        <translation>目前无法连接证明书发行系统。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate could not be printed.</source>
        <translation>无法打印证明书。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate could not be checked, so it was not printed.</source>
        <translation>无法确认证明书内容，因此未予打印。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The time ran out, so the procedure was cancelled.</source>
        <translation>由于长时间未操作，手续已取消。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This certificate cannot be issued at this kiosk.</source>
        <translation>此证明书无法在本终端发行。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sorry, something went wrong (%1).</source>
        <translation>抱歉，发生错误（%1）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Please ask at your municipal office counter.</source>
        <translation>请到市区町村政府窗口申请。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Please call the store staff.</source>
        <translation>请呼叫店员。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Please try again later.</source>
        <translation>请稍后再试。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The service is outside its hours.</source>
        <translation>当前不在服务时间内。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The service is closed for the New Year holidays.</source>
        <translation>年末年初期间暂停服务。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The store is closed.</source>
        <translation>店铺不在营业时间内。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The municipality has closed the service today.</source>
        <translation>因市区町村原因，今日暂停服务。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The service is paused.</source>
        <translation>服务已暂停。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The service is temporarily unavailable.</source>
        <translation>服务暂时无法使用。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The service is temporarily unavailable. Store staff: this terminal cannot record or print certificates; please call support.</source>
        <translation>服务暂时无法使用。店员请注意：本终端无法记录或打印证明书，请联系技术支持。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Paper out</source>
        <translation>缺纸</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paper jam</source>
        <translation>卡纸</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cover open</source>
        <translation>盖板未关闭</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Toner empty</source>
        <translation>墨粉已用完</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Toner low</source>
        <translation>墨粉不足</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Printer offline</source>
        <translation>打印机离线</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <location filename="../qml/screens/Language.qml" line="+7"/>
        <source>Please choose your language</source>
        <translation>请选择语言</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <location filename="../qml/LanguageMenu.qml" line="+34"/>
        <source>Choose a language</source>
        <translation>请选择语言</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>LastTry</name>
    <message>
        <location filename="../qml/screens/LastTry.qml" line="+6"/>
        <source>This is your last try</source>
        <translation>这是最后一次输入机会</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>If this PIN is wrong, the card will be locked and can then only be unlocked at the municipal office counter or by a reset with your signature PIN.</source>
        <translation>如果此次密码错误，卡片将被锁定。锁定后只能在市区町村政府窗口解除，或使用签名用电子证书的密码重新设置。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>If you are not sure of your PIN, please go to the municipal office counter instead.</source>
        <translation>如果您不确定密码，请不要输入，改为前往市区町村政府窗口办理。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Back (do not use this PIN)</source>
        <translation>返回（不使用此密码）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Try this PIN</source>
        <translation>使用此密码确认</translation>
    </message>
</context>
<context>
    <name>Options</name>
    <message>
        <location filename="../qml/screens/Options.qml" line="+8"/>
        <source>Choose what the certificate shows</source>
        <translation>请选择证明书的记载内容</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
</context>
<context>
    <name>Paused</name>
    <message>
        <location filename="../qml/screens/Paused.qml" line="+6"/>
        <source>The service is paused</source>
        <translation>服务暂停中</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The store staff have paused the service for maintenance. We are sorry for the inconvenience.</source>
        <translation>店员因维护暂停了服务。给您带来不便，敬请谅解。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Service hours: %1</source>
        <translation>服务时间：%1</translation>
    </message>
</context>
<context>
    <name>Payment</name>
    <message>
        <location filename="../qml/screens/Payment.qml" line="+7"/>
        <source>Please insert the fee</source>
        <translation>请支付手续费</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Insert coins or notes into the payment machine.</source>
        <translation>请将硬币或纸币投入付款机。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Fee</source>
        <translation>手续费</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+12"/>
        <location line="+13"/>
        <location line="+26"/>
        <source>%1 yen</source>
        <translation>%1日元</translation>
    </message>
    <message>
        <location line="-45"/>
        <source>Inserted</source>
        <translation>已投入金额</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Still to pay</source>
        <translation>尚需支付</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Change: %1 yen. Please take it from the tray.</source>
        <translation>找零 %1日元，请从找零口取出。</translation>
    </message>
</context>
<context>
    <name>Pin</name>
    <message>
        <location filename="../qml/screens/Pin.qml" line="+8"/>
        <source>Please enter your PIN (4 digits)</source>
        <translation>请输入密码（4位数字）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The 4-digit PIN for the user certificate that you set when you received the card.</source>
        <translation>即领取卡片时设定的用户证明用电子证书密码（4位数字）。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Tries left: %1</source>
        <translation>剩余 %1 次</translation>
    </message>
</context>
<context>
    <name>PinBlocked</name>
    <message>
        <location filename="../qml/screens/PinBlocked.qml" line="+8"/>
        <source>Your PIN is locked</source>
        <translation>密码已被锁定</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The PIN was entered wrongly too many times, so the card&apos;s user certificate is locked. You can unlock it in one of two ways:</source>
        <translation>由于多次输错密码，卡片的用户证明用电子证书已被锁定。可通过以下任一方式解除：</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>1. At your municipal office counter: bring your My Number card.</source>
        <translation>1. 市区町村政府窗口：请携带个人编号卡前往办理。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>2. If you still know your signature PIN (6 to 16 characters): reset the PIN yourself at a Seven-Eleven multi-copy machine with the JPKI smartphone app.</source>
        <translation>2. 如果您记得签名用电子证书的密码（6～16位英文字母和数字）：可使用智能手机上的JPKI用户软件（JPKI利用者ソフト），在7-Eleven（セブン‐イレブン）的多功能复印机上自行重新设置。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Please take your card with you.</source>
        <translation>请取回您的卡片。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>OK</source>
        <translation>确定</translation>
    </message>
</context>
<context>
    <name>PlaceCard</name>
    <message>
        <location filename="../qml/screens/PlaceCard.qml" line="+6"/>
        <source>Please place your My Number card on the reader</source>
        <translation>请将个人编号卡放在读卡器上</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Place it face up on the card reader and leave it there until the screen asks you to take it.</source>
        <translation>请将卡片正面朝上放在读卡器上，在屏幕提示取下之前请勿移开。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>My Number card</source>
        <translation>个人编号卡</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Demo: choose a card to place on the reader</source>
        <translation>演示：请选择要放在读卡器上的卡片</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <location filename="../qml/screens/Printing.qml" line="+6"/>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Please do not leave the machine. Printing can take up to 2 minutes.</source>
        <translation>打印最多可能需要2分钟。打印完成前请勿离开。</translation>
    </message>
</context>
<context>
    <name>Reading</name>
    <message>
        <location filename="../qml/screens/Reading.qml" line="+6"/>
        <source>Reading your card…</source>
        <translation>正在读取卡片…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Please do not move the card.</source>
        <translation>请勿移动卡片。</translation>
    </message>
</context>
<context>
    <name>RemoveCard</name>
    <message>
        <location filename="../qml/screens/RemoveCard.qml" line="+6"/>
        <source>Please take your card off the reader</source>
        <translation>请从读卡器上取下卡片</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Your PIN was accepted. Take the card now; the next step starts as soon as the card is off the reader.</source>
        <translation>密码已确认。请现在取下卡片，取下后将立即进入下一步。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Keep your card with you.</source>
        <translation>请妥善保管您的卡片。</translation>
    </message>
</context>
<context>
    <name>Staff</name>
    <message>
        <location filename="../qml/screens/Staff.qml" line="+8"/>
        <source>Staff mode</source>
        <translation>店员模式</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Card reader</source>
        <translation>读卡器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>card present</source>
        <translation>有卡</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no card</source>
        <translation>无卡</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Paper</source>
        <translation>纸张</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Municipal backend</source>
        <translation>证明书发行系统</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reachable</source>
        <translation>连接正常</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Not reachable</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clock skew</source>
        <translation>时钟偏差</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Configuration</source>
        <translation>配置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Counters</source>
        <translation>计数器</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Test print</source>
        <translation>测试打印</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Pause service</source>
        <translation>暂停服务</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Resume service</source>
        <translation>恢复服务</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Exit the application</source>
        <translation>退出应用程序</translation>
    </message>
</context>
<context>
    <name>StaffCall</name>
    <message>
        <location filename="../qml/screens/StaffCall.qml" line="+7"/>
        <source>Please call the store staff</source>
        <translation>请呼叫店员</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The printer needs attention.</source>
        <translation>打印机需要检查。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Your certificate will be printed as soon as the printer is ready. Please do not leave.</source>
        <translation>打印机恢复后将立即打印您的证明书。请勿离开。</translation>
    </message>
</context>
<context>
    <name>StaffLogin</name>
    <message>
        <location filename="../qml/screens/StaffLogin.qml" line="+8"/>
        <source>Staff: enter the staff PIN</source>
        <translation>店员：请输入店员密码</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Too many wrong PINs. Try again in %1 s.</source>
        <translation>密码错误次数过多。请在 %1 秒后重试。</translation>
    </message>
</context>
<context>
    <name>TakeItems</name>
    <message>
        <location filename="../qml/screens/TakeItems.qml" line="+7"/>
        <source>Please take your card and your certificate</source>
        <translation>请取回卡片和证明书</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Check that you have your My Number card and all printed pages.</source>
        <translation>请确认已取回个人编号卡及所有打印好的证明书。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Do not forget your change.</source>
        <translation>请不要忘记取走找零。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Stop the sound: I have my card and certificate</source>
        <translation>已取回卡片和证明书（停止提示音）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>I have my card and certificate</source>
        <translation>已取回卡片和证明书</translation>
    </message>
</context>
<context>
    <name>ThankYou</name>
    <message>
        <location filename="../qml/screens/ThankYou.qml" line="+12"/>
        <source>Thank you for using the service.</source>
        <translation>感谢您的使用。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Finish</source>
        <translation>结束</translation>
    </message>
</context>
</TS>
