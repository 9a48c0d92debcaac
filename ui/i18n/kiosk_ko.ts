<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>Authenticating</name>
    <message>
        <location filename="../qml/screens/Authenticating.qml" line="+6"/>
        <source>Checking your PIN…</source>
        <translation>비밀번호를 확인하고 있습니다…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Please leave the card on the reader and wait.</source>
        <translation>카드를 리더기에 올려 둔 채로 잠시 기다려 주십시오.</translation>
    </message>
</context>
<context>
    <name>Closed</name>
    <message>
        <location filename="../qml/screens/Closed.qml" line="+6"/>
        <source>The service is closed</source>
        <translation>현재 서비스 시간이 아닙니다</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Opens again: %1</source>
        <translation>다음 서비스 시작: %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Service hours: %1</source>
        <translation>서비스 시간: %1</translation>
    </message>
</context>
<context>
    <name>Copies</name>
    <message>
        <location filename="../qml/screens/Copies.qml" line="+7"/>
        <source>How many copies?</source>
        <translation>발급 부수를 선택하십시오</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>%1 copies</source>
        <translation>%1부</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Up to %1 copies</source>
        <translation>최대 %1부</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fee: %1 yen</source>
        <translation>수수료: %1엔</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Next</source>
        <translation>다음</translation>
    </message>
</context>
<context>
    <name>Document</name>
    <message>
        <location filename="../qml/screens/Document.qml" line="+9"/>
        <source>Which certificate do you need?</source>
        <translation>필요한 증명서를 선택하십시오</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Please ask at your municipal office counter.</source>
        <translation>시구정촌(시청·구청 등) 창구에서 신청하십시오.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 yen per copy</source>
        <translation>1부당 %1엔</translation>
    </message>
</context>
<context>
    <name>Error</name>
    <message>
        <location filename="../qml/screens/Error.qml" line="+7"/>
        <source>The procedure could not be completed</source>
        <translation>절차를 완료할 수 없었습니다</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>OK</source>
        <translation>확인</translation>
    </message>
</context>
<context>
    <name>Fee</name>
    <message>
        <location filename="../qml/screens/Fee.qml" line="+8"/>
        <source>Please check your request</source>
        <translation>신청 내용을 확인하십시오</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Certificate</source>
        <translation>증명서</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Contents</source>
        <translation>기재 내용</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Copies</source>
        <translation>부수</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 copies</source>
        <translation>%1부</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Total fee</source>
        <translation>수수료 합계</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 yen</source>
        <translation>%1엔</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Confirm and pay</source>
        <translation>확인 후 결제</translation>
    </message>
</context>
<context>
    <name>Footer</name>
    <message>
        <location filename="../qml/Footer.qml" line="+33"/>
        <source>Back</source>
        <translation>이전</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Demo: remove the card</source>
        <translation>데모: 카드 제거</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
</context>
<context>
    <name>Header</name>
    <message>
        <location filename="../qml/Header.qml" line="+25"/>
        <source>Certificate issuance service</source>
        <translation>증명서 발급 서비스</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>%1 s left</source>
        <translation>남은 시간 %1초</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+0"/>
        <source>Language</source>
        <translation>언어</translation>
    </message>
</context>
<context>
    <name>Idle</name>
    <message>
        <location filename="../qml/screens/Idle.qml" line="+19"/>
        <source>Certificates with your My Number card</source>
        <translation>마이넘버 카드로 증명서 발급</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Certificate of residence (juminhyo) · Seal registration certificate</source>
        <translation>주민표 사본(住民票の写し) · 인감등록증명서(印鑑登録証明書)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Touch the screen to start</source>
        <translation>화면을 터치하여 시작하십시오</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Service hours: %1</source>
        <translation>서비스 시간: %1</translation>
    </message>
</context>
<context>
    <name>Issuing</name>
    <message>
        <location filename="../qml/screens/Issuing.qml" line="+6"/>
        <source>Preparing your certificate…</source>
        <translation>증명서를 준비하고 있습니다…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Please wait a moment.</source>
        <translation>잠시 기다려 주십시오.</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <location filename="../qml/Keypad.qml" line="+42"/>
        <source>Clear</source>
        <translation>전체 삭제</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Delete</source>
        <translation>한 자리 삭제</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>OK</source>
        <translation>확인</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../qml/Labels.qml" line="+13"/>
        <source>Certificate of residence (juminhyo)</source>
        <translation>주민표 사본(住民票の写し)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seal registration certificate</source>
        <translation>인감등록증명서(印鑑登録証明書)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Whose entries</source>
        <translation>기재 대상자</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Householder and relationship</source>
        <translation>세대주 및 세대주와의 관계</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Registered domicile (honseki) and its head</source>
        <translation>본적(本籍) 및 필두자</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Previous address</source>
        <translation>이전 주소</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Date of becoming a resident</source>
        <translation>주민이 된 날짜</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Individual number (My Number)</source>
        <translation>개인번호(마이넘버)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Only me</source>
        <translation>본인만</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Whole household</source>
        <translation>세대 전원</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Include</source>
        <translation>기재함</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Do not include</source>
        <translation>기재하지 않음</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A move out of the municipality has been recorded.</source>
        <translation>전출 또는 전출 예정 신고가 되어 있습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The seal registration has been cancelled.</source>
        <translation>인감등록이 폐지되었습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This record is under support measures and cannot be issued here.</source>
        <translation>지원 조치 대상이므로 이 단말기에서는 발급할 수 없습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no registered seal.</source>
        <translation>등록된 인감이 없습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The record is closed.</source>
        <translation>이 주민 기록은 말소되었습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This certificate is not offered at convenience stores.</source>
        <translation>이 증명서는 편의점 발급 대상이 아닙니다.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The card was taken off the reader before the procedure finished.</source>
        <translation>절차가 끝나기 전에 카드가 제거되었습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This card cannot be used. Please check that it is your My Number card.</source>
        <translation>이 카드는 사용할 수 없습니다. 마이넘버 카드인지 확인하십시오.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate service cannot be reached at the moment.</source>
        <translation>현재 증명서 발급 시스템에 연결할 수 없습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate could not be printed.</source>
        <translation>증명서를 인쇄할 수 없었습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate could not be checked, so it was not printed.</source>
        <translation>증명서 내용을 확인할 수 없어 인쇄하지 않았습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The time ran out, so the procedure was cancelled.</source>
        <translation>일정 시간 동안 조작이 없어 절차를 취소했습니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This certificate cannot be issued at this kiosk.</source>
        <translation>이 증명서는 이 단말기에서 발급할 수 없습니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sorry, something went wrong (%1).</source>
        <translation>죄송합니다. 오류가 발생했습니다(%1).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Please ask at your municipal office counter.</source>
        <translation>시구정촌(시청·구청 등) 창구에서 신청하십시오.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Please call the store staff.</source>
        <translation>점원을 불러 주십시오.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Please try again later.</source>
        <translation>잠시 후 다시 시도해 주십시오.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The service is outside its hours.</source>
        <translation>서비스 시간이 아닙니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The service is closed for the New Year holidays.</source>
        <translation>연말연시로 인해 서비스를 중단하고 있습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The store is closed.</source>
        <translation>점포 영업시간이 아닙니다.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The municipality has closed the service today.</source>
        <translation>시구정촌 사정으로 오늘은 서비스를 중단하고 있습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The service is paused.</source>
        <translation>서비스가 일시 중지되었습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The service is temporarily unavailable.</source>
        <translation>현재 서비스를 이용하실 수 없습니다.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The service is temporarily unavailable. Store staff: this terminal cannot record or print certificates; please call support.</source>
        <translation>서비스를 일시적으로 이용할 수 없습니다. 점원께: 이 단말기는 증명서를 기록하거나 인쇄할 수 없습니다. 지원 창구에 연락해 주십시오.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Paper out</source>
        <translation>용지 없음</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paper jam</source>
        <translation>용지 걸림</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cover open</source>
        <translation>커버 열림</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Toner empty</source>
        <translation>토너 없음</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Toner low</source>
        <translation>토너 부족</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Printer offline</source>
        <translation>프린터 오프라인</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <location filename="../qml/screens/Language.qml" line="+7"/>
        <source>Please choose your language</source>
        <translation>언어를 선택하십시오</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <location filename="../qml/LanguageMenu.qml" line="+34"/>
        <source>Choose a language</source>
        <translation>언어를 선택하십시오</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
</context>
<context>
    <name>LastTry</name>
    <message>
        <location filename="../qml/screens/LastTry.qml" line="+6"/>
        <source>This is your last try</source>
        <translation>마지막 입력 기회입니다</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>If this PIN is wrong, the card will be locked and can then only be unlocked at the municipal office counter or by a reset with your signature PIN.</source>
        <translation>이번에 비밀번호가 틀리면 카드가 잠깁니다. 잠금은 시구정촌 창구에서 해제하거나 서명용 전자증명서 비밀번호로 재설정해야만 풀 수 있습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>If you are not sure of your PIN, please go to the municipal office counter instead.</source>
        <translation>비밀번호가 확실하지 않으면 입력하지 말고 시구정촌 창구를 방문하십시오.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Back (do not use this PIN)</source>
        <translation>이전(이 비밀번호 사용 안 함)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Try this PIN</source>
        <translation>이 비밀번호로 확인</translation>
    </message>
</context>
<context>
    <name>Options</name>
    <message>
        <location filename="../qml/screens/Options.qml" line="+8"/>
        <source>Choose what the certificate shows</source>
        <translation>증명서에 기재할 내용을 선택하십시오</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>Next</source>
        <translation>다음</translation>
    </message>
</context>
<context>
    <name>Paused</name>
    <message>
        <location filename="../qml/screens/Paused.qml" line="+6"/>
        <source>The service is paused</source>
        <translation>서비스가 일시 중지되었습니다</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The store staff have paused the service for maintenance. We are sorry for the inconvenience.</source>
        <translation>점검을 위해 점원이 서비스를 일시 중지했습니다. 불편을 드려 죄송합니다.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Service hours: %1</source>
        <translation>서비스 시간: %1</translation>
    </message>
</context>
<context>
    <name>Payment</name>
    <message>
        <location filename="../qml/screens/Payment.qml" line="+7"/>
        <source>Please insert the fee</source>
        <translation>수수료를 넣어 주십시오</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Insert coins or notes into the payment machine.</source>
        <translation>결제기에 동전 또는 지폐를 넣으십시오.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Fee</source>
        <translation>수수료</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+12"/>
        <location line="+13"/>
        <location line="+26"/>
        <source>%1 yen</source>
        <translation>%1엔</translation>
    </message>
    <message>
        <location line="-45"/>
        <source>Inserted</source>
        <translation>투입 금액</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Still to pay</source>
        <translation>부족 금액</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Change: %1 yen. Please take it from the tray.</source>
        <translation>거스름돈 %1엔을 받침대에서 받아 가십시오.</translation>
    </message>
</context>
<context>
    <name>Pin</name>
    <message>
        <location filename="../qml/screens/Pin.qml" line="+8"/>
        <source>Please enter your PIN (4 digits)</source>
        <translation>비밀번호(숫자 4자리)를 입력하십시오</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The 4-digit PIN for the user certificate that you set when you received the card.</source>
        <translation>카드 수령 시 설정한 이용자 증명용 전자증명서 비밀번호(숫자 4자리)입니다.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Tries left: %1</source>
        <translation>남은 횟수: %1회</translation>
    </message>
</context>
<context>
    <name>PinBlocked</name>
    <message>
        <location filename="../qml/screens/PinBlocked.qml" line="+8"/>
        <source>Your PIN is locked</source>
        <translation>비밀번호가 잠겼습니다</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The PIN was entered wrongly too many times, so the card&apos;s user certificate is locked. You can unlock it in one of two ways:</source>
        <translation>비밀번호를 여러 번 잘못 입력하여 카드의 이용자 증명용 전자증명서가 잠겼습니다. 다음 두 가지 방법 중 하나로 해제할 수 있습니다:</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>1. At your municipal office counter: bring your My Number card.</source>
        <translation>1. 시구정촌 창구: 마이넘버 카드를 지참하십시오.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>2. If you still know your signature PIN (6 to 16 characters): reset the PIN yourself at a Seven-Eleven multi-copy machine with the JPKI smartphone app.</source>
        <translation>2. 서명용 전자증명서 비밀번호(영문·숫자 6~16자리)를 알고 있는 경우: 스마트폰의 JPKI 이용자 소프트웨어 앱을 사용하여 세븐일레븐 멀티 복사기에서 직접 재설정할 수 있습니다.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Please take your card with you.</source>
        <translation>카드를 챙겨 가십시오.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>OK</source>
        <translation>확인</translation>
    </message>
</context>
<context>
    <name>PlaceCard</name>
    <message>
        <location filename="../qml/screens/PlaceCard.qml" line="+6"/>
        <source>Please place your My Number card on the reader</source>
        <translation>마이넘버 카드를 리더기에 올려 주십시오</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Place it face up on the card reader and leave it there until the screen asks you to take it.</source>
        <translation>카드 앞면이 위로 오도록 카드 리더기에 올리고, 화면에 카드를 빼라는 안내가 나올 때까지 그대로 두십시오.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>My Number card</source>
        <translation>마이넘버 카드</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Demo: choose a card to place on the reader</source>
        <translation>데모: 리더기에 올릴 카드를 선택하십시오</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <location filename="../qml/screens/Printing.qml" line="+6"/>
        <source>Printing…</source>
        <translation>인쇄하고 있습니다…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Please do not leave the machine. Printing can take up to 2 minutes.</source>
        <translation>인쇄에는 최대 2분이 걸릴 수 있습니다. 끝날 때까지 자리를 떠나지 마십시오.</translation>
    </message>
</context>
<context>
    <name>Reading</name>
    <message>
        <location filename="../qml/screens/Reading.qml" line="+6"/>
        <source>Reading your card…</source>
        <translation>카드를 읽고 있습니다…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Please do not move the card.</source>
        <translation>카드를 움직이지 마십시오.</translation>
    </message>
</context>
<context>
    <name>RemoveCard</name>
    <message>
        <location filename="../qml/screens/RemoveCard.qml" line="+6"/>
        <source>Please take your card off the reader</source>
        <translation>리더기에서 카드를 빼 주십시오</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Your PIN was accepted. Take the card now; the next step starts as soon as the card is off the reader.</source>
        <translation>비밀번호가 확인되었습니다. 지금 카드를 빼 주십시오. 카드를 빼면 바로 다음 단계로 진행합니다.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Keep your card with you.</source>
        <translation>카드를 잘 보관하십시오.</translation>
    </message>
</context>
<context>
    <name>Staff</name>
    <message>
        <location filename="../qml/screens/Staff.qml" line="+8"/>
        <source>Staff mode</source>
        <translation>직원 모드</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Card reader</source>
        <translation>카드 리더기</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>card present</source>
        <translation>카드 있음</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no card</source>
        <translation>카드 없음</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Printer</source>
        <translation>프린터</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Paper</source>
        <translation>용지</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Municipal backend</source>
        <translation>증명서 발급 시스템</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reachable</source>
        <translation>연결됨</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Not reachable</source>
        <translation>연결 불가</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clock skew</source>
        <translation>시각 오차</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unknown</source>
        <translation>알 수 없음</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 s</source>
        <translation>%1초</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Configuration</source>
        <translation>설정</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service</source>
        <translation>서비스</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Paused</source>
        <translation>일시 중지됨</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Running</source>
        <translation>운영 중</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Counters</source>
        <translation>카운터</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Test print</source>
        <translation>테스트 인쇄</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Pause service</source>
        <translation>서비스 일시 중지</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Resume service</source>
        <translation>서비스 재개</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Exit the application</source>
        <translation>애플리케이션 종료</translation>
    </message>
</context>
<context>
    <name>StaffCall</name>
    <message>
        <location filename="../qml/screens/StaffCall.qml" line="+7"/>
        <source>Please call the store staff</source>
        <translation>점원을 불러 주십시오</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The printer needs attention.</source>
        <translation>프린터 점검이 필요합니다.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Your certificate will be printed as soon as the printer is ready. Please do not leave.</source>
        <translation>프린터가 복구되는 즉시 증명서를 인쇄합니다. 자리를 떠나지 마십시오.</translation>
    </message>
</context>
<context>
    <name>StaffLogin</name>
    <message>
        <location filename="../qml/screens/StaffLogin.qml" line="+8"/>
        <source>Staff: enter the staff PIN</source>
        <translation>직원: 직원용 비밀번호를 입력하십시오</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Too many wrong PINs. Try again in %1 s.</source>
        <translation>비밀번호 오류가 너무 많습니다. %1초 후에 다시 시도하십시오.</translation>
    </message>
</context>
<context>
    <name>TakeItems</name>
    <message>
        <location filename="../qml/screens/TakeItems.qml" line="+7"/>
        <source>Please take your card and your certificate</source>
        <translation>카드와 증명서를 받아 가십시오</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Check that you have your My Number card and all printed pages.</source>
        <translation>마이넘버 카드와 인쇄된 모든 페이지를 챙기셨는지 확인하십시오.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Do not forget your change.</source>
        <translation>거스름돈을 잊지 말고 받아 가십시오.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Stop the sound: I have my card and certificate</source>
        <translation>카드와 증명서를 받았습니다(소리 끄기)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>I have my card and certificate</source>
        <translation>카드와 증명서를 받았습니다</translation>
    </message>
</context>
<context>
    <name>ThankYou</name>
    <message>
        <location filename="../qml/screens/ThankYou.qml" line="+12"/>
        <source>Thank you for using the service.</source>
        <translation>이용해 주셔서 감사합니다.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Finish</source>
        <translation>종료</translation>
    </message>
</context>
</TS>
