@file:JvmName("ChatErrorsKt")

package chat.errors.kotlin

import chat.errors.ChatError
import chat.errors.ChatStatus
import chat.errors.ErrorCode
import io.grpc.StatusException
import io.grpc.StatusRuntimeException

/** The chat error in this throwable or its causes, read leniently; `null` when there is none. */
val Throwable.chatError: ChatError?
    get() = ChatError.fromThrowable(this)

/**
 * The chat error in this throwable or its causes, read strictly; `null` when
 * there is none.
 *
 * @throws chat.errors.ChatErrorDecodeException when the details are broken or contradict themselves
 */
fun Throwable.checkChatError(): ChatError? = ChatError.checkThrowable(this)

/** The text to show the user: the LocalizedMessage, in the locale the server negotiated. */
val ChatError.userMessage: String?
    get() = localizedMessage()?.message

/** This code's status as the `StatusException` a grpc-kotlin handler throws, with extras from [build]. */
inline fun ErrorCode.asStatusException(build: ChatStatus.Builder.() -> Unit = {}): StatusException =
    ChatStatus.builder(this).apply(build).asException()

/** This code's status as the `StatusRuntimeException` a grpc-java handler throws, with extras from [build]. */
inline fun ErrorCode.asRuntimeException(build: ChatStatus.Builder.() -> Unit = {}): StatusRuntimeException =
    ChatStatus.builder(this).apply(build).asRuntimeException()
