<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt_BR">
<context>
    <name>Authenticating</name>
    <message>
        <location filename="../qml/screens/Authenticating.qml" line="+6"/>
        <source>Checking your PIN…</source>
        <translation>Verificando o PIN…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Please leave the card on the reader and wait.</source>
        <translation>Deixe o cartão no leitor e aguarde.</translation>
    </message>
</context>
<context>
    <name>Closed</name>
    <message>
        <location filename="../qml/screens/Closed.qml" line="+6"/>
        <source>The service is closed</source>
        <translation>O serviço está fechado</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Opens again: %1</source>
        <translation>Reabre: %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Service hours: %1</source>
        <translation>Horário do serviço: %1</translation>
    </message>
</context>
<context>
    <name>Copies</name>
    <message>
        <location filename="../qml/screens/Copies.qml" line="+7"/>
        <source>How many copies?</source>
        <translation>Quantas cópias?</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>%1 copies</source>
        <translation>%1 cópia(s)</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Up to %1 copies</source>
        <translation>Até %1 cópias</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fee: %1 yen</source>
        <translation>Taxa: %1 ienes</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Next</source>
        <translation>Avançar</translation>
    </message>
</context>
<context>
    <name>Document</name>
    <message>
        <location filename="../qml/screens/Document.qml" line="+9"/>
        <source>Which certificate do you need?</source>
        <translation>De qual documento você precisa?</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Please ask at your municipal office counter.</source>
        <translation>Dirija-se ao balcão da prefeitura.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 yen per copy</source>
        <translation>%1 ienes por cópia</translation>
    </message>
</context>
<context>
    <name>Error</name>
    <message>
        <location filename="../qml/screens/Error.qml" line="+7"/>
        <source>The procedure could not be completed</source>
        <translation>Não foi possível concluir o procedimento</translation>
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
        <translation>Confira o seu pedido</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Certificate</source>
        <translation>Documento</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Contents</source>
        <translation>Conteúdo</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Copies</source>
        <translation>Cópias</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 copies</source>
        <translation>%1 cópia(s)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Total fee</source>
        <translation>Total a pagar</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 yen</source>
        <translation>%1 ienes</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Confirm and pay</source>
        <translation>Confirmar e pagar</translation>
    </message>
</context>
<context>
    <name>Footer</name>
    <message>
        <location filename="../qml/Footer.qml" line="+33"/>
        <source>Back</source>
        <translation>Voltar</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Demo: remove the card</source>
        <translation>Demo: retirar o cartão</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
</context>
<context>
    <name>Header</name>
    <message>
        <location filename="../qml/Header.qml" line="+25"/>
        <source>Certificate issuance service</source>
        <translation>Emissão de documentos</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>%1 s left</source>
        <translation>Restam %1 s</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+0"/>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
</context>
<context>
    <name>Idle</name>
    <message>
        <location filename="../qml/screens/Idle.qml" line="+19"/>
        <source>Certificates with your My Number card</source>
        <translation>Documentos com o seu cartão My Number</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Certificate of residence (juminhyo) · Seal registration certificate</source>
        <translation>Certidão de residência (Juminhyo) · Certificado de registro de carimbo (Inkan)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Touch the screen to start</source>
        <translation>Toque na tela para começar</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Service hours: %1</source>
        <translation>Horário do serviço: %1</translation>
    </message>
</context>
<context>
    <name>Issuing</name>
    <message>
        <location filename="../qml/screens/Issuing.qml" line="+6"/>
        <source>Preparing your certificate…</source>
        <translation>Preparando o seu documento…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Please wait a moment.</source>
        <translation>Aguarde um momento.</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <location filename="../qml/Keypad.qml" line="+42"/>
        <source>Clear</source>
        <translation>Limpar</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Delete</source>
        <translation>Apagar</translation>
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
        <translation>Certidão de residência (Juminhyo)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seal registration certificate</source>
        <translation>Certificado de registro de carimbo (Inkan)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Whose entries</source>
        <translation>Pessoas incluídas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Householder and relationship</source>
        <translation>Chefe da família e parentesco</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Registered domicile (honseki) and its head</source>
        <translation>Domicílio legal (honseki) e titular</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Previous address</source>
        <translation>Endereço anterior</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Date of becoming a resident</source>
        <translation>Data de início da residência</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Individual number (My Number)</source>
        <translation>Número individual (My Number)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Only me</source>
        <translation>Só eu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Whole household</source>
        <translation>Toda a família</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Include</source>
        <translation>Incluir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Do not include</source>
        <translation>Não incluir</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A move out of the municipality has been recorded.</source>
        <translation>Há registro de mudança para fora do município.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The seal registration has been cancelled.</source>
        <translation>O registro de carimbo foi cancelado.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This record is under support measures and cannot be issued here.</source>
        <translation>Este registro está sob medidas de proteção e não pode ser emitido aqui.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no registered seal.</source>
        <translation>Não há carimbo registrado.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The record is closed.</source>
        <translation>O registro foi encerrado.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This certificate is not offered at convenience stores.</source>
        <translation>Este documento não é emitido em lojas de conveniência.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The card was taken off the reader before the procedure finished.</source>
        <translation>O cartão foi retirado do leitor antes do fim do procedimento.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This card cannot be used. Please check that it is your My Number card.</source>
        <translation>Este cartão não pode ser usado. Verifique se é o seu cartão My Number.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate service cannot be reached at the moment.</source>
        <translation>No momento, não é possível conectar ao sistema de emissão.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate could not be printed.</source>
        <translation>Não foi possível imprimir o documento.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate could not be checked, so it was not printed.</source>
        <translation>Não foi possível verificar o documento, por isso ele não foi impresso.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The time ran out, so the procedure was cancelled.</source>
        <translation>O tempo esgotou e o procedimento foi cancelado.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This certificate cannot be issued at this kiosk.</source>
        <translation>Este documento não pode ser emitido neste terminal.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sorry, something went wrong (%1).</source>
        <translation>Desculpe, ocorreu um erro (%1).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Please ask at your municipal office counter.</source>
        <translation>Dirija-se ao balcão da prefeitura.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Please call the store staff.</source>
        <translation>Chame um funcionário da loja.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Please try again later.</source>
        <translation>Tente novamente mais tarde.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The service is outside its hours.</source>
        <translation>Fora do horário de atendimento.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The service is closed for the New Year holidays.</source>
        <translation>O serviço está suspenso no feriado de fim de ano.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The store is closed.</source>
        <translation>A loja está fechada.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The municipality has closed the service today.</source>
        <translation>A prefeitura suspendeu o serviço hoje.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The service is paused.</source>
        <translation>O serviço está pausado.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The service is temporarily unavailable.</source>
        <translation>O serviço está temporariamente indisponível.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The service is temporarily unavailable. Store staff: this terminal cannot record or print certificates; please call support.</source>
        <translation>Serviço temporariamente indisponível. Funcionários: este terminal não consegue registrar nem imprimir documentos; chame o suporte.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Paper out</source>
        <translation>Sem papel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paper jam</source>
        <translation>Papel atolado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cover open</source>
        <translation>Tampa aberta</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Toner empty</source>
        <translation>Sem toner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Toner low</source>
        <translation>Toner baixo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Printer offline</source>
        <translation>Impressora offline</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <location filename="../qml/screens/Language.qml" line="+7"/>
        <source>Please choose your language</source>
        <translation>Escolha o seu idioma</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <location filename="../qml/LanguageMenu.qml" line="+34"/>
        <source>Choose a language</source>
        <translation>Escolha o idioma</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Close</source>
        <translation>Fechar</translation>
    </message>
</context>
<context>
    <name>LastTry</name>
    <message>
        <location filename="../qml/screens/LastTry.qml" line="+6"/>
        <source>This is your last try</source>
        <translation>Esta é a última tentativa</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>If this PIN is wrong, the card will be locked and can then only be unlocked at the municipal office counter or by a reset with your signature PIN.</source>
        <translation>Se este PIN estiver errado, o cartão será bloqueado e só poderá ser desbloqueado no balcão da prefeitura ou redefinindo o PIN com o seu PIN de assinatura.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>If you are not sure of your PIN, please go to the municipal office counter instead.</source>
        <translation>Se não tiver certeza do PIN, não digite: dirija-se ao balcão da prefeitura.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Back (do not use this PIN)</source>
        <translation>Voltar (não usar este PIN)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Try this PIN</source>
        <translation>Usar este PIN</translation>
    </message>
</context>
<context>
    <name>Options</name>
    <message>
        <location filename="../qml/screens/Options.qml" line="+8"/>
        <source>Choose what the certificate shows</source>
        <translation>Escolha o que constará no documento</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>Next</source>
        <translation>Avançar</translation>
    </message>
</context>
<context>
    <name>Paused</name>
    <message>
        <location filename="../qml/screens/Paused.qml" line="+6"/>
        <source>The service is paused</source>
        <translation>O serviço está pausado</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The store staff have paused the service for maintenance. We are sorry for the inconvenience.</source>
        <translation>A loja suspendeu o serviço para manutenção. Pedimos desculpas pelo transtorno.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Service hours: %1</source>
        <translation>Horário do serviço: %1</translation>
    </message>
</context>
<context>
    <name>Payment</name>
    <message>
        <location filename="../qml/screens/Payment.qml" line="+7"/>
        <source>Please insert the fee</source>
        <translation>Pague a taxa</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Insert coins or notes into the payment machine.</source>
        <translation>Insira moedas ou cédulas na máquina de pagamento.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Fee</source>
        <translation>Taxa</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+12"/>
        <location line="+13"/>
        <location line="+26"/>
        <source>%1 yen</source>
        <translation>%1 ienes</translation>
    </message>
    <message>
        <location line="-45"/>
        <source>Inserted</source>
        <translation>Inserido</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Still to pay</source>
        <translation>Falta pagar</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Change: %1 yen. Please take it from the tray.</source>
        <translation>Troco: %1 ienes. Retire-o da bandeja.</translation>
    </message>
</context>
<context>
    <name>Pin</name>
    <message>
        <location filename="../qml/screens/Pin.qml" line="+8"/>
        <source>Please enter your PIN (4 digits)</source>
        <translation>Digite o seu PIN (4 dígitos)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The 4-digit PIN for the user certificate that you set when you received the card.</source>
        <translation>É o PIN de 4 dígitos do certificado de usuário, definido quando você recebeu o cartão.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Tries left: %1</source>
        <translation>Tentativas restantes: %1</translation>
    </message>
</context>
<context>
    <name>PinBlocked</name>
    <message>
        <location filename="../qml/screens/PinBlocked.qml" line="+8"/>
        <source>Your PIN is locked</source>
        <translation>Seu PIN está bloqueado</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The PIN was entered wrongly too many times, so the card&apos;s user certificate is locked. You can unlock it in one of two ways:</source>
        <translation>O PIN foi digitado errado muitas vezes, por isso o certificado de usuário do cartão foi bloqueado. Você pode desbloqueá-lo de uma destas duas formas:</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>1. At your municipal office counter: bring your My Number card.</source>
        <translation>1. No balcão da prefeitura: leve o seu cartão My Number.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>2. If you still know your signature PIN (6 to 16 characters): reset the PIN yourself at a Seven-Eleven multi-copy machine with the JPKI smartphone app.</source>
        <translation>2. Se você sabe o seu PIN de assinatura (6 a 16 caracteres): redefina o PIN você mesmo em uma multicopiadora da Seven-Eleven, com o app JPKI no smartphone.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Please take your card with you.</source>
        <translation>Não esqueça de levar o seu cartão.</translation>
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
        <translation>Coloque o seu cartão My Number no leitor</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Place it face up on the card reader and leave it there until the screen asks you to take it.</source>
        <translation>Coloque-o com a frente para cima no leitor e deixe-o lá até a tela pedir para retirá-lo.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>My Number card</source>
        <translation>Cartão My Number</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Demo: choose a card to place on the reader</source>
        <translation>Demo: escolha um cartão para o leitor</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <location filename="../qml/screens/Printing.qml" line="+6"/>
        <source>Printing…</source>
        <translation>Imprimindo…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Please do not leave the machine. Printing can take up to 2 minutes.</source>
        <translation>Não se afaste da máquina. A impressão pode levar até 2 minutos.</translation>
    </message>
</context>
<context>
    <name>Reading</name>
    <message>
        <location filename="../qml/screens/Reading.qml" line="+6"/>
        <source>Reading your card…</source>
        <translation>Lendo o cartão…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Please do not move the card.</source>
        <translation>Não mova o cartão.</translation>
    </message>
</context>
<context>
    <name>RemoveCard</name>
    <message>
        <location filename="../qml/screens/RemoveCard.qml" line="+6"/>
        <source>Please take your card off the reader</source>
        <translation>Retire o cartão do leitor</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Your PIN was accepted. Take the card now; the next step starts as soon as the card is off the reader.</source>
        <translation>PIN aceito. Retire o cartão agora; a próxima etapa começa assim que ele sair do leitor.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Keep your card with you.</source>
        <translation>Guarde o seu cartão com você.</translation>
    </message>
</context>
<context>
    <name>Staff</name>
    <message>
        <location filename="../qml/screens/Staff.qml" line="+8"/>
        <source>Staff mode</source>
        <translation>Modo funcionário</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Card reader</source>
        <translation>Leitor de cartão</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>card present</source>
        <translation>com cartão</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no card</source>
        <translation>sem cartão</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Printer</source>
        <translation>Impressora</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Paper</source>
        <translation>Papel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Municipal backend</source>
        <translation>Sistema municipal</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reachable</source>
        <translation>Conectado</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Not reachable</source>
        <translation>Sem conexão</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clock skew</source>
        <translation>Desvio do relógio</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unknown</source>
        <translation>Desconhecido</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Configuration</source>
        <translation>Configuração</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service</source>
        <translation>Serviço</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Paused</source>
        <translation>Pausado</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Running</source>
        <translation>Ativo</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Counters</source>
        <translation>Contadores</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Test print</source>
        <translation>Imprimir teste</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Pause service</source>
        <translation>Pausar serviço</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Resume service</source>
        <translation>Retomar serviço</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Exit the application</source>
        <translation>Sair do aplicativo</translation>
    </message>
</context>
<context>
    <name>StaffCall</name>
    <message>
        <location filename="../qml/screens/StaffCall.qml" line="+7"/>
        <source>Please call the store staff</source>
        <translation>Chame um funcionário da loja</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The printer needs attention.</source>
        <translation>A impressora precisa de verificação.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Your certificate will be printed as soon as the printer is ready. Please do not leave.</source>
        <translation>O documento será impresso assim que a impressora estiver pronta. Não se afaste.</translation>
    </message>
</context>
<context>
    <name>StaffLogin</name>
    <message>
        <location filename="../qml/screens/StaffLogin.qml" line="+8"/>
        <source>Staff: enter the staff PIN</source>
        <translation>Funcionário: digite o PIN da loja</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Too many wrong PINs. Try again in %1 s.</source>
        <translation>Muitos PINs incorretos. Tente de novo em %1 s.</translation>
    </message>
</context>
<context>
    <name>TakeItems</name>
    <message>
        <location filename="../qml/screens/TakeItems.qml" line="+7"/>
        <source>Please take your card and your certificate</source>
        <translation>Retire o seu cartão e o documento</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Check that you have your My Number card and all printed pages.</source>
        <translation>Verifique se está com o seu cartão My Number e todas as páginas impressas.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Do not forget your change.</source>
        <translation>Não esqueça o seu troco.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Stop the sound: I have my card and certificate</source>
        <translation>Parar o som: já peguei o cartão e o documento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>I have my card and certificate</source>
        <translation>Já peguei o cartão e o documento</translation>
    </message>
</context>
<context>
    <name>ThankYou</name>
    <message>
        <location filename="../qml/screens/ThankYou.qml" line="+12"/>
        <source>Thank you for using the service.</source>
        <translation>Obrigado por utilizar o serviço.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Finish</source>
        <translation>Concluir</translation>
    </message>
</context>
</TS>
