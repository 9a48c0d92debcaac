<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>Authenticating</name>
    <message>
        <location filename="../qml/screens/Authenticating.qml" line="+6"/>
        <source>Checking your PIN…</source>
        <translation>Verificando su PIN…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Please leave the card on the reader and wait.</source>
        <translation>Deje la tarjeta en el lector y espere.</translation>
    </message>
</context>
<context>
    <name>Closed</name>
    <message>
        <location filename="../qml/screens/Closed.qml" line="+6"/>
        <source>The service is closed</source>
        <translation>El servicio está cerrado</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Opens again: %1</source>
        <translation>Reabre: %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Service hours: %1</source>
        <translation>Horario del servicio: %1</translation>
    </message>
</context>
<context>
    <name>Copies</name>
    <message>
        <location filename="../qml/screens/Copies.qml" line="+7"/>
        <source>How many copies?</source>
        <translation>¿Cuántas copias?</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>%1 copies</source>
        <translation>%1 copia(s)</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Up to %1 copies</source>
        <translation>Hasta %1 copias</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fee: %1 yen</source>
        <translation>Tarifa: %1 yenes</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Next</source>
        <translation>Siguiente</translation>
    </message>
</context>
<context>
    <name>Document</name>
    <message>
        <location filename="../qml/screens/Document.qml" line="+9"/>
        <source>Which certificate do you need?</source>
        <translation>¿Qué certificado necesita?</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Please ask at your municipal office counter.</source>
        <translation>Acuda a la ventanilla de la oficina municipal.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 yen per copy</source>
        <translation>%1 yenes por copia</translation>
    </message>
</context>
<context>
    <name>Error</name>
    <message>
        <location filename="../qml/screens/Error.qml" line="+7"/>
        <source>The procedure could not be completed</source>
        <translation>No se pudo completar el trámite</translation>
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
        <translation>Revise su solicitud</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Certificate</source>
        <translation>Certificado</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Contents</source>
        <translation>Contenido</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Copies</source>
        <translation>Copias</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 copies</source>
        <translation>%1 copia(s)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Total fee</source>
        <translation>Total a pagar</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 yen</source>
        <translation>%1 yenes</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Confirm and pay</source>
        <translation>Confirmar y pagar</translation>
    </message>
</context>
<context>
    <name>Footer</name>
    <message>
        <location filename="../qml/Footer.qml" line="+33"/>
        <source>Back</source>
        <translation>Volver</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Demo: remove the card</source>
        <translation>Demo: retirar la tarjeta</translation>
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
        <translation>Emisión de certificados</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>%1 s left</source>
        <translation>Quedan %1 s</translation>
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
        <translation>Certificados con su tarjeta My Number</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Certificate of residence (juminhyo) · Seal registration certificate</source>
        <translation>Certificado de residencia (Juminhyo) · Certificado de registro de sello (Inkan)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Touch the screen to start</source>
        <translation>Toque la pantalla para comenzar</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Service hours: %1</source>
        <translation>Horario del servicio: %1</translation>
    </message>
</context>
<context>
    <name>Issuing</name>
    <message>
        <location filename="../qml/screens/Issuing.qml" line="+6"/>
        <source>Preparing your certificate…</source>
        <translation>Preparando su certificado…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Please wait a moment.</source>
        <translation>Espere un momento.</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <location filename="../qml/Keypad.qml" line="+42"/>
        <source>Clear</source>
        <translation>Limpiar</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Delete</source>
        <translation>Borrar</translation>
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
        <translation>Certificado de residencia (Juminhyo)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seal registration certificate</source>
        <translation>Certificado de registro de sello (Inkan)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Whose entries</source>
        <translation>Personas incluidas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Householder and relationship</source>
        <translation>Jefe de hogar y parentesco</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Registered domicile (honseki) and its head</source>
        <translation>Domicilio legal (honseki) y titular</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Previous address</source>
        <translation>Domicilio anterior</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Date of becoming a resident</source>
        <translation>Fecha de inicio de residencia</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Individual number (My Number)</source>
        <translation>Número individual (My Number)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Only me</source>
        <translation>Solo yo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Whole household</source>
        <translation>Todo el hogar</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Include</source>
        <translation>Incluir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Do not include</source>
        <translation>No incluir</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A move out of the municipality has been recorded.</source>
        <translation>Se registró una mudanza fuera del municipio.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The seal registration has been cancelled.</source>
        <translation>El registro del sello fue cancelado.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This record is under support measures and cannot be issued here.</source>
        <translation>Este registro está bajo medidas de protección y no puede emitirse aquí.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no registered seal.</source>
        <translation>No hay un sello registrado.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The record is closed.</source>
        <translation>El registro fue dado de baja.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This certificate is not offered at convenience stores.</source>
        <translation>Este certificado no se emite en tiendas de conveniencia.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The card was taken off the reader before the procedure finished.</source>
        <translation>La tarjeta se retiró del lector antes de terminar el trámite.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This card cannot be used. Please check that it is your My Number card.</source>
        <translation>Esta tarjeta no se puede usar. Verifique que sea su tarjeta My Number.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate service cannot be reached at the moment.</source>
        <translation>En este momento no es posible conectarse al sistema de certificados.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate could not be printed.</source>
        <translation>No se pudo imprimir el certificado.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate could not be checked, so it was not printed.</source>
        <translation>No se pudo verificar el certificado, por eso no se imprimió.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The time ran out, so the procedure was cancelled.</source>
        <translation>Se agotó el tiempo y el trámite fue cancelado.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This certificate cannot be issued at this kiosk.</source>
        <translation>Este certificado no se puede emitir en este terminal.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sorry, something went wrong (%1).</source>
        <translation>Lo sentimos, ocurrió un error (%1).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Please ask at your municipal office counter.</source>
        <translation>Acuda a la ventanilla de la oficina municipal.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Please call the store staff.</source>
        <translation>Llame al personal de la tienda.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Please try again later.</source>
        <translation>Intente de nuevo más tarde.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The service is outside its hours.</source>
        <translation>Fuera del horario de servicio.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The service is closed for the New Year holidays.</source>
        <translation>El servicio está cerrado por las fiestas de fin de año.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The store is closed.</source>
        <translation>La tienda está cerrada.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The municipality has closed the service today.</source>
        <translation>El municipio suspendió el servicio por hoy.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The service is paused.</source>
        <translation>El servicio está en pausa.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The service is temporarily unavailable.</source>
        <translation>El servicio no está disponible por el momento.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The service is temporarily unavailable. Store staff: this terminal cannot record or print certificates; please call support.</source>
        <translation>Servicio no disponible temporalmente. Personal de la tienda: este terminal no puede registrar ni imprimir certificados; llame a soporte.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Paper out</source>
        <translation>Sin papel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paper jam</source>
        <translation>Atasco de papel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cover open</source>
        <translation>Tapa abierta</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Toner empty</source>
        <translation>Sin tóner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Toner low</source>
        <translation>Tóner bajo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Printer offline</source>
        <translation>Impresora desconectada</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <location filename="../qml/screens/Language.qml" line="+7"/>
        <source>Please choose your language</source>
        <translation>Elija su idioma</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <location filename="../qml/LanguageMenu.qml" line="+34"/>
        <source>Choose a language</source>
        <translation>Elija un idioma</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
</context>
<context>
    <name>LastTry</name>
    <message>
        <location filename="../qml/screens/LastTry.qml" line="+6"/>
        <source>This is your last try</source>
        <translation>Este es su último intento</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>If this PIN is wrong, the card will be locked and can then only be unlocked at the municipal office counter or by a reset with your signature PIN.</source>
        <translation>Si este PIN es incorrecto, la tarjeta se bloqueará y solo podrá desbloquearse en la ventanilla de la oficina municipal o restableciéndolo con su PIN de firma.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>If you are not sure of your PIN, please go to the municipal office counter instead.</source>
        <translation>Si no está seguro de su PIN, mejor acuda a la ventanilla de la oficina municipal.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Back (do not use this PIN)</source>
        <translation>Volver (no usar este PIN)</translation>
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
        <translation>Elija qué mostrará el certificado</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>Next</source>
        <translation>Siguiente</translation>
    </message>
</context>
<context>
    <name>Paused</name>
    <message>
        <location filename="../qml/screens/Paused.qml" line="+6"/>
        <source>The service is paused</source>
        <translation>El servicio está en pausa</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The store staff have paused the service for maintenance. We are sorry for the inconvenience.</source>
        <translation>El personal de la tienda pausó el servicio por mantenimiento. Disculpe las molestias.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Service hours: %1</source>
        <translation>Horario del servicio: %1</translation>
    </message>
</context>
<context>
    <name>Payment</name>
    <message>
        <location filename="../qml/screens/Payment.qml" line="+7"/>
        <source>Please insert the fee</source>
        <translation>Pague la tarifa</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Insert coins or notes into the payment machine.</source>
        <translation>Inserte monedas o billetes en la máquina de pago.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Fee</source>
        <translation>Tarifa</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+12"/>
        <location line="+13"/>
        <location line="+26"/>
        <source>%1 yen</source>
        <translation>%1 yenes</translation>
    </message>
    <message>
        <location line="-45"/>
        <source>Inserted</source>
        <translation>Ingresado</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Still to pay</source>
        <translation>Falta pagar</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Change: %1 yen. Please take it from the tray.</source>
        <translation>Cambio: %1 yenes. Retírelo de la bandeja.</translation>
    </message>
</context>
<context>
    <name>Pin</name>
    <message>
        <location filename="../qml/screens/Pin.qml" line="+8"/>
        <source>Please enter your PIN (4 digits)</source>
        <translation>Ingrese su PIN (4 dígitos)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The 4-digit PIN for the user certificate that you set when you received the card.</source>
        <translation>Es el PIN de 4 dígitos del certificado de usuario que definió al recibir la tarjeta.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Tries left: %1</source>
        <translation>Intentos restantes: %1</translation>
    </message>
</context>
<context>
    <name>PinBlocked</name>
    <message>
        <location filename="../qml/screens/PinBlocked.qml" line="+8"/>
        <source>Your PIN is locked</source>
        <translation>Su PIN está bloqueado</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The PIN was entered wrongly too many times, so the card&apos;s user certificate is locked. You can unlock it in one of two ways:</source>
        <translation>Se ingresó un PIN incorrecto demasiadas veces, por lo que el certificado de usuario de la tarjeta quedó bloqueado. Puede desbloquearlo de una de estas dos formas:</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>1. At your municipal office counter: bring your My Number card.</source>
        <translation>1. En la ventanilla de la oficina municipal: lleve su tarjeta My Number.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>2. If you still know your signature PIN (6 to 16 characters): reset the PIN yourself at a Seven-Eleven multi-copy machine with the JPKI smartphone app.</source>
        <translation>2. Si recuerda su PIN de firma (6 a 16 caracteres): restablezca el PIN usted mismo en una multicopiadora de Seven-Eleven con la app JPKI de su smartphone.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Please take your card with you.</source>
        <translation>No olvide llevar su tarjeta.</translation>
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
        <translation>Coloque su tarjeta My Number en el lector</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Place it face up on the card reader and leave it there until the screen asks you to take it.</source>
        <translation>Colóquela boca arriba en el lector y déjela allí hasta que la pantalla le indique retirarla.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>My Number card</source>
        <translation>Tarjeta My Number</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Demo: choose a card to place on the reader</source>
        <translation>Demo: elija una tarjeta para el lector</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <location filename="../qml/screens/Printing.qml" line="+6"/>
        <source>Printing…</source>
        <translation>Imprimiendo…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Please do not leave the machine. Printing can take up to 2 minutes.</source>
        <translation>No se aleje de la máquina. La impresión puede tardar hasta 2 minutos.</translation>
    </message>
</context>
<context>
    <name>Reading</name>
    <message>
        <location filename="../qml/screens/Reading.qml" line="+6"/>
        <source>Reading your card…</source>
        <translation>Leyendo su tarjeta…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Please do not move the card.</source>
        <translation>No mueva la tarjeta.</translation>
    </message>
</context>
<context>
    <name>RemoveCard</name>
    <message>
        <location filename="../qml/screens/RemoveCard.qml" line="+6"/>
        <source>Please take your card off the reader</source>
        <translation>Retire la tarjeta del lector</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Your PIN was accepted. Take the card now; the next step starts as soon as the card is off the reader.</source>
        <translation>PIN aceptado. Retire la tarjeta ahora; el siguiente paso comenzará en cuanto salga del lector.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Keep your card with you.</source>
        <translation>Guarde su tarjeta consigo.</translation>
    </message>
</context>
<context>
    <name>Staff</name>
    <message>
        <location filename="../qml/screens/Staff.qml" line="+8"/>
        <source>Staff mode</source>
        <translation>Modo personal</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Card reader</source>
        <translation>Lector de tarjetas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>card present</source>
        <translation>con tarjeta</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no card</source>
        <translation>sin tarjeta</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Printer</source>
        <translation>Impresora</translation>
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
        <translation>Sin conexión</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clock skew</source>
        <translation>Desfase del reloj</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unknown</source>
        <translation>Desconocido</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Configuration</source>
        <translation>Configuración</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service</source>
        <translation>Servicio</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Paused</source>
        <translation>En pausa</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Running</source>
        <translation>Activo</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Counters</source>
        <translation>Contadores</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Test print</source>
        <translation>Imprimir prueba</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Pause service</source>
        <translation>Pausar servicio</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Resume service</source>
        <translation>Reanudar servicio</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Exit the application</source>
        <translation>Salir de la aplicación</translation>
    </message>
</context>
<context>
    <name>StaffCall</name>
    <message>
        <location filename="../qml/screens/StaffCall.qml" line="+7"/>
        <source>Please call the store staff</source>
        <translation>Llame al personal de la tienda</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The printer needs attention.</source>
        <translation>La impresora requiere atención.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Your certificate will be printed as soon as the printer is ready. Please do not leave.</source>
        <translation>Su certificado se imprimirá en cuanto la impresora esté lista. No se retire.</translation>
    </message>
</context>
<context>
    <name>StaffLogin</name>
    <message>
        <location filename="../qml/screens/StaffLogin.qml" line="+8"/>
        <source>Staff: enter the staff PIN</source>
        <translation>Personal: ingrese el PIN de personal</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Too many wrong PINs. Try again in %1 s.</source>
        <translation>Demasiados PIN incorrectos. Intente de nuevo en %1 s.</translation>
    </message>
</context>
<context>
    <name>TakeItems</name>
    <message>
        <location filename="../qml/screens/TakeItems.qml" line="+7"/>
        <source>Please take your card and your certificate</source>
        <translation>Retire su tarjeta y su certificado</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Check that you have your My Number card and all printed pages.</source>
        <translation>Verifique que tiene su tarjeta My Number y todas las páginas impresas.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Do not forget your change.</source>
        <translation>No olvide su cambio.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Stop the sound: I have my card and certificate</source>
        <translation>Detener sonido: ya tengo mi tarjeta y certificado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>I have my card and certificate</source>
        <translation>Ya tengo mi tarjeta y certificado</translation>
    </message>
</context>
<context>
    <name>ThankYou</name>
    <message>
        <location filename="../qml/screens/ThankYou.qml" line="+12"/>
        <source>Thank you for using the service.</source>
        <translation>Gracias por usar el servicio.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Finish</source>
        <translation>Finalizar</translation>
    </message>
</context>
</TS>
