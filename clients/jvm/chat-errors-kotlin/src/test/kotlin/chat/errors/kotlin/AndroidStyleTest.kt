package chat.errors.kotlin

import chat.demo.v1.ChatServiceGrpc
import chat.demo.v1.ChatServiceOuterClass.GetChannelRequest
import chat.demo.v1.ChatServiceOuterClass.SendMessageRequest
import chat.demo.v1.ChatServiceOuterClass.SignUpRequest
import chat.errors.ErrorCode
import chat.errors.demo.PeerServer
import io.grpc.ManagedChannel
import io.grpc.Metadata
import io.grpc.Server
import io.grpc.StatusRuntimeException
import io.grpc.inprocess.InProcessChannelBuilder
import io.grpc.inprocess.InProcessServerBuilder
import io.grpc.stub.MetadataUtils
import java.time.Duration
import java.nio.file.Files
import java.nio.file.Paths
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * The API as an Android app uses it: a blocking stub (grpc-kotlin's coroutine
 * stubs are not on Maven Central's list this build may use), `when` over the
 * code, and the localized message shown to the user. The server is the
 * interop peer, behind ChatErrorInterceptor, in process.
 */
class AndroidStyleTest {
    private lateinit var server: Server
    private lateinit var channel: ManagedChannel

    /** The repository's table, ko-KR and en-US descriptions by number. */
    private val fixture: Map<Int, List<String>> =
        Files.readAllLines(Paths.get("../../../tests/fixtures/error-codes.tsv")).drop(1)
            .filter { it.isNotEmpty() }
            .map { it.split("\t") }
            .associate { it[0].toInt() to it }

    @BeforeEach
    fun start() {
        val name = InProcessServerBuilder.generateName()
        server = InProcessServerBuilder.forName(name).directExecutor()
            .addService(PeerServer.service())
            .build().start()
        channel = InProcessChannelBuilder.forName(name).directExecutor().build()
    }

    @AfterEach
    fun stop() {
        channel.shutdownNow()
        server.shutdownNow()
    }

    private fun stub(acceptLanguage: String? = null): ChatServiceGrpc.ChatServiceBlockingStub {
        val headers = Metadata()
        if (acceptLanguage != null) {
            headers.put(Metadata.Key.of("accept-language", Metadata.ASCII_STRING_MARSHALLER), acceptLanguage)
        }
        return ChatServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
    }

    /** What a screen would show for a failed call. */
    private fun messageFor(e: StatusRuntimeException): String {
        val error = e.chatError ?: return "Something went wrong"
        return when (error.code()) {
            ErrorCode.CHANNEL_NOT_FOUND -> "Gone: ${error.userMessage}"
            ErrorCode.TOO_MANY_REQUESTS -> "Wait ${error.retryDelay()?.toMillis()} ms: ${error.userMessage}"
            ErrorCode.INVALID_PARAMS -> "Fix ${error.fieldViolations().joinToString { it.field }}: ${error.userMessage}"
            else -> error.userMessage ?: "Something went wrong"
        }
    }

    @Test
    fun whenOverTheCodeShowsTheLocalizedMessage() {
        val gone = assertThrows<StatusRuntimeException> {
            stub().getChannel(GetChannelRequest.newBuilder().setChannelId("general").build())
        }
        assertEquals("Gone: ${fixture.getValue(2003)[6]}", messageFor(gone))

        val english = assertThrows<StatusRuntimeException> {
            stub("en-US,en;q=0.9").getChannel(GetChannelRequest.newBuilder().setChannelId("general").build())
        }
        assertEquals("Gone: ${fixture.getValue(2003)[7]}", messageFor(english))

        val flood = assertThrows<StatusRuntimeException> {
            stub().sendMessage(SendMessageRequest.newBuilder().setChannelId("general").setText("hi").build())
        }
        assertEquals("Wait 2500 ms: ${fixture.getValue(1010)[6]}", messageFor(flood))

        val invalid = assertThrows<StatusRuntimeException> { stub().signUp(SignUpRequest.getDefaultInstance()) }
        assertEquals("Fix user_id: ${fixture.getValue(1002)[6]}", messageFor(invalid))
    }

    @Test
    fun aThrowingHandlerReachesTheAppAs1003WithARequestId() {
        for (failure in listOf("panic", "internal")) {
            val headers = Metadata()
            headers.put(Metadata.Key.of("interop-error-code", Metadata.ASCII_STRING_MARSHALLER), failure)
            headers.put(Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER), "android-$failure-1")
            val e = assertThrows<StatusRuntimeException> {
                ChatServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .getChannel(GetChannelRequest.newBuilder().setChannelId("general").build())
            }
            val error = e.checkChatError()!!
            assertEquals(ErrorCode.INTERNAL_SERVER_ERROR_1003, error.code(), failure)
            assertEquals("android-$failure-1", error.requestInfo()?.requestId, failure)
            assertEquals(fixture.getValue(1003)[7], error.message(), failure)
        }
        assertNull(IllegalStateException("plain").chatError)
    }

    @Test
    fun extensionsBuildWhatTheJavaBuilderBuilds() {
        val e = ErrorCode.TOO_MANY_REQUESTS.asStatusException {
            retryDelay(Duration.ofSeconds(3))
            metadata("limit", "20/minute")
        }
        val error = e.checkChatError()!!
        assertEquals(Duration.ofSeconds(3), error.retryDelay())
        assertEquals("20/minute", error.metadata()["limit"])
        assertEquals(fixture.getValue(1010)[6], error.userMessage)
    }
}
