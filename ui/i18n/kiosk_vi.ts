<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>Authenticating</name>
    <message>
        <location filename="../qml/screens/Authenticating.qml" line="+6"/>
        <source>Checking your PIN…</source>
        <translation>Đang kiểm tra mã PIN…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Please leave the card on the reader and wait.</source>
        <translation>Vui lòng để nguyên thẻ trên đầu đọc và chờ.</translation>
    </message>
</context>
<context>
    <name>Closed</name>
    <message>
        <location filename="../qml/screens/Closed.qml" line="+6"/>
        <source>The service is closed</source>
        <translation>Dịch vụ hiện đang đóng</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Opens again: %1</source>
        <translation>Mở lại: %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Service hours: %1</source>
        <translation>Giờ phục vụ: %1</translation>
    </message>
</context>
<context>
    <name>Copies</name>
    <message>
        <location filename="../qml/screens/Copies.qml" line="+7"/>
        <source>How many copies?</source>
        <translation>Bạn cần bao nhiêu bản?</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>%1 copies</source>
        <translation>%1 bản</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Up to %1 copies</source>
        <translation>Tối đa %1 bản</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fee: %1 yen</source>
        <translation>Lệ phí: %1 yên</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Next</source>
        <translation>Tiếp theo</translation>
    </message>
</context>
<context>
    <name>Document</name>
    <message>
        <location filename="../qml/screens/Document.qml" line="+9"/>
        <source>Which certificate do you need?</source>
        <translation>Bạn cần loại giấy chứng nhận nào?</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Please ask at your municipal office counter.</source>
        <translation>Vui lòng liên hệ quầy của tòa thị chính.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 yen per copy</source>
        <translation>%1 yên/bản</translation>
    </message>
</context>
<context>
    <name>Error</name>
    <message>
        <location filename="../qml/screens/Error.qml" line="+7"/>
        <source>The procedure could not be completed</source>
        <translation>Không thể hoàn tất thủ tục</translation>
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
        <translation>Vui lòng kiểm tra yêu cầu</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Certificate</source>
        <translation>Giấy chứng nhận</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Contents</source>
        <translation>Nội dung</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Copies</source>
        <translation>Số bản</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 copies</source>
        <translation>%1 bản</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Total fee</source>
        <translation>Tổng lệ phí</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 yen</source>
        <translation>%1 yên</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Confirm and pay</source>
        <translation>Xác nhận và thanh toán</translation>
    </message>
</context>
<context>
    <name>Footer</name>
    <message>
        <location filename="../qml/Footer.qml" line="+33"/>
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Demo: remove the card</source>
        <translation>Demo: lấy thẻ ra</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>Header</name>
    <message>
        <location filename="../qml/Header.qml" line="+25"/>
        <source>Certificate issuance service</source>
        <translation>Dịch vụ cấp giấy chứng nhận</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>%1 s left</source>
        <translation>Còn %1 giây</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+0"/>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
</context>
<context>
    <name>Idle</name>
    <message>
        <location filename="../qml/screens/Idle.qml" line="+19"/>
        <source>Certificates with your My Number card</source>
        <translation>Lấy giấy chứng nhận bằng thẻ My Number</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Certificate of residence (juminhyo) · Seal registration certificate</source>
        <translation>Bản sao phiếu cư trú (Juminhyo) · Giấy chứng nhận đăng ký con dấu (Inkan)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Touch the screen to start</source>
        <translation>Chạm vào màn hình để bắt đầu</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Service hours: %1</source>
        <translation>Giờ phục vụ: %1</translation>
    </message>
</context>
<context>
    <name>Issuing</name>
    <message>
        <location filename="../qml/screens/Issuing.qml" line="+6"/>
        <source>Preparing your certificate…</source>
        <translation>Đang chuẩn bị giấy chứng nhận…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Please wait a moment.</source>
        <translation>Vui lòng chờ trong giây lát.</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <location filename="../qml/Keypad.qml" line="+42"/>
        <source>Clear</source>
        <translation>Xóa hết</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Delete</source>
        <translation>Xóa 1 số</translation>
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
        <translation>Bản sao phiếu cư trú (Juminhyo)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seal registration certificate</source>
        <translation>Giấy chứng nhận đăng ký con dấu (Inkan)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Whose entries</source>
        <translation>Người được ghi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Householder and relationship</source>
        <translation>Chủ hộ và quan hệ với chủ hộ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Registered domicile (honseki) and its head</source>
        <translation>Nguyên quán (honseki) và chủ hộ tịch</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Previous address</source>
        <translation>Địa chỉ trước đây</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Date of becoming a resident</source>
        <translation>Ngày trở thành cư dân</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Individual number (My Number)</source>
        <translation>Mã số cá nhân (My Number)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Only me</source>
        <translation>Chỉ tôi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Whole household</source>
        <translation>Cả hộ gia đình</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Include</source>
        <translation>Có ghi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Do not include</source>
        <translation>Không ghi</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A move out of the municipality has been recorded.</source>
        <translation>Đã có thông báo chuyển đi khỏi địa phương.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The seal registration has been cancelled.</source>
        <translation>Đăng ký con dấu đã bị hủy.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This record is under support measures and cannot be issued here.</source>
        <translation>Hồ sơ này thuộc diện biện pháp hỗ trợ nên không thể cấp tại máy này.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no registered seal.</source>
        <translation>Chưa đăng ký con dấu.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The record is closed.</source>
        <translation>Hồ sơ cư trú này đã bị xóa.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This certificate is not offered at convenience stores.</source>
        <translation>Giấy chứng nhận này không được cấp tại cửa hàng tiện lợi.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The card was taken off the reader before the procedure finished.</source>
        <translation>Thẻ đã bị lấy ra khỏi đầu đọc trước khi hoàn tất thủ tục.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This card cannot be used. Please check that it is your My Number card.</source>
        <translation>Không thể sử dụng thẻ này. Vui lòng kiểm tra xem đây có phải thẻ My Number của bạn không.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate service cannot be reached at the moment.</source>
        <translation>Hiện không thể kết nối với hệ thống cấp giấy chứng nhận.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate could not be printed.</source>
        <translation>Không thể in giấy chứng nhận.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate could not be checked, so it was not printed.</source>
        <translation>Không thể xác minh nội dung giấy chứng nhận nên máy đã không in.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The time ran out, so the procedure was cancelled.</source>
        <translation>Đã hết thời gian nên thủ tục bị hủy.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This certificate cannot be issued at this kiosk.</source>
        <translation>Không thể cấp giấy chứng nhận này tại máy này.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sorry, something went wrong (%1).</source>
        <translation>Xin lỗi, đã xảy ra lỗi (%1).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Please ask at your municipal office counter.</source>
        <translation>Vui lòng liên hệ quầy của tòa thị chính.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Please call the store staff.</source>
        <translation>Vui lòng gọi nhân viên cửa hàng.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Please try again later.</source>
        <translation>Vui lòng thử lại sau.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The service is outside its hours.</source>
        <translation>Ngoài giờ phục vụ.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The service is closed for the New Year holidays.</source>
        <translation>Dịch vụ tạm nghỉ dịp cuối năm và năm mới.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The store is closed.</source>
        <translation>Cửa hàng đang đóng cửa.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The municipality has closed the service today.</source>
        <translation>Hôm nay chính quyền địa phương tạm ngừng dịch vụ.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The service is paused.</source>
        <translation>Dịch vụ đang tạm dừng.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The service is temporarily unavailable.</source>
        <translation>Hiện không thể sử dụng dịch vụ.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The service is temporarily unavailable. Store staff: this terminal cannot record or print certificates; please call support.</source>
        <translation>Dịch vụ tạm thời không khả dụng. Nhân viên cửa hàng: máy này không thể ghi nhận hoặc in giấy chứng nhận; vui lòng gọi bộ phận hỗ trợ.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Paper out</source>
        <translation>Hết giấy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paper jam</source>
        <translation>Kẹt giấy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cover open</source>
        <translation>Nắp đang mở</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Toner empty</source>
        <translation>Hết mực</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Toner low</source>
        <translation>Sắp hết mực</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Printer offline</source>
        <translation>Máy in mất kết nối</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <location filename="../qml/screens/Language.qml" line="+7"/>
        <source>Please choose your language</source>
        <translation>Vui lòng chọn ngôn ngữ</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <location filename="../qml/LanguageMenu.qml" line="+34"/>
        <source>Choose a language</source>
        <translation>Chọn ngôn ngữ</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
</context>
<context>
    <name>LastTry</name>
    <message>
        <location filename="../qml/screens/LastTry.qml" line="+6"/>
        <source>This is your last try</source>
        <translation>Đây là lần nhập cuối cùng</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>If this PIN is wrong, the card will be locked and can then only be unlocked at the municipal office counter or by a reset with your signature PIN.</source>
        <translation>Nếu mã PIN này sai, thẻ sẽ bị khóa và chỉ có thể mở khóa tại quầy của tòa thị chính hoặc đặt lại bằng mã PIN chữ ký.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>If you are not sure of your PIN, please go to the municipal office counter instead.</source>
        <translation>Nếu không chắc chắn về mã PIN, xin đừng nhập mà hãy đến quầy của tòa thị chính.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Back (do not use this PIN)</source>
        <translation>Quay lại (không dùng PIN này)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Try this PIN</source>
        <translation>Dùng mã PIN này</translation>
    </message>
</context>
<context>
    <name>Options</name>
    <message>
        <location filename="../qml/screens/Options.qml" line="+8"/>
        <source>Choose what the certificate shows</source>
        <translation>Chọn nội dung ghi trên giấy chứng nhận</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>Next</source>
        <translation>Tiếp theo</translation>
    </message>
</context>
<context>
    <name>Paused</name>
    <message>
        <location filename="../qml/screens/Paused.qml" line="+6"/>
        <source>The service is paused</source>
        <translation>Dịch vụ đang tạm dừng</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The store staff have paused the service for maintenance. We are sorry for the inconvenience.</source>
        <translation>Nhân viên cửa hàng đã tạm dừng dịch vụ để bảo trì. Xin lỗi vì sự bất tiện này.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Service hours: %1</source>
        <translation>Giờ phục vụ: %1</translation>
    </message>
</context>
<context>
    <name>Payment</name>
    <message>
        <location filename="../qml/screens/Payment.qml" line="+7"/>
        <source>Please insert the fee</source>
        <translation>Vui lòng thanh toán lệ phí</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Insert coins or notes into the payment machine.</source>
        <translation>Vui lòng cho tiền xu hoặc tiền giấy vào máy thanh toán.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Fee</source>
        <translation>Lệ phí</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+12"/>
        <location line="+13"/>
        <location line="+26"/>
        <source>%1 yen</source>
        <translation>%1 yên</translation>
    </message>
    <message>
        <location line="-45"/>
        <source>Inserted</source>
        <translation>Đã nạp</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Still to pay</source>
        <translation>Còn thiếu</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Change: %1 yen. Please take it from the tray.</source>
        <translation>Tiền trả lại: %1 yên. Vui lòng lấy ở khay.</translation>
    </message>
</context>
<context>
    <name>Pin</name>
    <message>
        <location filename="../qml/screens/Pin.qml" line="+8"/>
        <source>Please enter your PIN (4 digits)</source>
        <translation>Vui lòng nhập mã PIN (4 chữ số)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The 4-digit PIN for the user certificate that you set when you received the card.</source>
        <translation>Là mã PIN 4 chữ số của chứng thư xác thực người dùng, bạn đã đặt khi nhận thẻ.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Tries left: %1</source>
        <translation>Còn %1 lần thử</translation>
    </message>
</context>
<context>
    <name>PinBlocked</name>
    <message>
        <location filename="../qml/screens/PinBlocked.qml" line="+8"/>
        <source>Your PIN is locked</source>
        <translation>Mã PIN đã bị khóa</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The PIN was entered wrongly too many times, so the card&apos;s user certificate is locked. You can unlock it in one of two ways:</source>
        <translation>Bạn đã nhập sai mã PIN quá nhiều lần nên chứng thư xác thực người dùng trên thẻ đã bị khóa. Có thể mở khóa bằng một trong hai cách sau:</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>1. At your municipal office counter: bring your My Number card.</source>
        <translation>1. Tại quầy của tòa thị chính: mang theo thẻ My Number.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>2. If you still know your signature PIN (6 to 16 characters): reset the PIN yourself at a Seven-Eleven multi-copy machine with the JPKI smartphone app.</source>
        <translation>2. Nếu bạn vẫn nhớ mã PIN chữ ký (6–16 ký tự): tự đặt lại mã PIN tại máy photocopy đa năng của Seven-Eleven bằng ứng dụng JPKI trên điện thoại thông minh.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Please take your card with you.</source>
        <translation>Vui lòng lấy lại thẻ.</translation>
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
        <translation>Vui lòng đặt thẻ My Number lên đầu đọc</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Place it face up on the card reader and leave it there until the screen asks you to take it.</source>
        <translation>Đặt thẻ mặt trước hướng lên trên đầu đọc và để nguyên cho đến khi màn hình yêu cầu lấy ra.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>My Number card</source>
        <translation>Thẻ My Number</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Demo: choose a card to place on the reader</source>
        <translation>Demo: chọn thẻ để đặt lên đầu đọc</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <location filename="../qml/screens/Printing.qml" line="+6"/>
        <source>Printing…</source>
        <translation>Đang in…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Please do not leave the machine. Printing can take up to 2 minutes.</source>
        <translation>Vui lòng không rời khỏi máy. Việc in có thể mất đến 2 phút.</translation>
    </message>
</context>
<context>
    <name>Reading</name>
    <message>
        <location filename="../qml/screens/Reading.qml" line="+6"/>
        <source>Reading your card…</source>
        <translation>Đang đọc thẻ…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Please do not move the card.</source>
        <translation>Vui lòng không di chuyển thẻ.</translation>
    </message>
</context>
<context>
    <name>RemoveCard</name>
    <message>
        <location filename="../qml/screens/RemoveCard.qml" line="+6"/>
        <source>Please take your card off the reader</source>
        <translation>Vui lòng lấy thẻ ra khỏi đầu đọc</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Your PIN was accepted. Take the card now; the next step starts as soon as the card is off the reader.</source>
        <translation>Mã PIN đã được chấp nhận. Hãy lấy thẻ ra ngay; bước tiếp theo sẽ bắt đầu khi thẻ rời khỏi đầu đọc.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Keep your card with you.</source>
        <translation>Vui lòng giữ thẻ bên mình.</translation>
    </message>
</context>
<context>
    <name>Staff</name>
    <message>
        <location filename="../qml/screens/Staff.qml" line="+8"/>
        <source>Staff mode</source>
        <translation>Chế độ nhân viên</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Card reader</source>
        <translation>Đầu đọc thẻ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>card present</source>
        <translation>có thẻ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no card</source>
        <translation>không có thẻ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Printer</source>
        <translation>Máy in</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Paper</source>
        <translation>Giấy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Municipal backend</source>
        <translation>Hệ thống cấp giấy</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reachable</source>
        <translation>Kết nối OK</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Not reachable</source>
        <translation>Mất kết nối</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clock skew</source>
        <translation>Lệch giờ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unknown</source>
        <translation>Không rõ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 s</source>
        <translation>%1 giây</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Configuration</source>
        <translation>Cấu hình</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service</source>
        <translation>Dịch vụ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Paused</source>
        <translation>Tạm dừng</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Running</source>
        <translation>Hoạt động</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Counters</source>
        <translation>Bộ đếm</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Test print</source>
        <translation>In thử</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Pause service</source>
        <translation>Tạm dừng dịch vụ</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Resume service</source>
        <translation>Tiếp tục dịch vụ</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Exit the application</source>
        <translation>Thoát ứng dụng</translation>
    </message>
</context>
<context>
    <name>StaffCall</name>
    <message>
        <location filename="../qml/screens/StaffCall.qml" line="+7"/>
        <source>Please call the store staff</source>
        <translation>Vui lòng gọi nhân viên cửa hàng</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The printer needs attention.</source>
        <translation>Máy in cần được kiểm tra.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Your certificate will be printed as soon as the printer is ready. Please do not leave.</source>
        <translation>Giấy chứng nhận sẽ được in ngay khi máy in sẵn sàng. Vui lòng không rời đi.</translation>
    </message>
</context>
<context>
    <name>StaffLogin</name>
    <message>
        <location filename="../qml/screens/StaffLogin.qml" line="+8"/>
        <source>Staff: enter the staff PIN</source>
        <translation>Nhân viên: nhập mã PIN nhân viên</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Too many wrong PINs. Try again in %1 s.</source>
        <translation>Nhập sai quá nhiều lần. Thử lại sau %1 giây.</translation>
    </message>
</context>
<context>
    <name>TakeItems</name>
    <message>
        <location filename="../qml/screens/TakeItems.qml" line="+7"/>
        <source>Please take your card and your certificate</source>
        <translation>Vui lòng lấy thẻ và giấy chứng nhận</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Check that you have your My Number card and all printed pages.</source>
        <translation>Vui lòng kiểm tra đã lấy thẻ My Number và tất cả các trang đã in.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Do not forget your change.</source>
        <translation>Đừng quên lấy tiền trả lại.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Stop the sound: I have my card and certificate</source>
        <translation>Tắt âm thanh: tôi đã lấy thẻ và giấy chứng nhận</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>I have my card and certificate</source>
        <translation>Tôi đã lấy thẻ và giấy chứng nhận</translation>
    </message>
</context>
<context>
    <name>ThankYou</name>
    <message>
        <location filename="../qml/screens/ThankYou.qml" line="+12"/>
        <source>Thank you for using the service.</source>
        <translation>Cảm ơn bạn đã sử dụng dịch vụ.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Finish</source>
        <translation>Kết thúc</translation>
    </message>
</context>
</TS>
