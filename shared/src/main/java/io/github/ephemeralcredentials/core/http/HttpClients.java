package io.github.ephemeralcredentials.core.http;

import java.io.IOException;
import okhttp3.OkHttpClient;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/** Builds the one OkHttp client setup the core uses, and reads bodies without trusting their size. */
public final class HttpClients {

    private HttpClients() {
    }

    public static OkHttpClient create(HttpSettings settings) {
        return new OkHttpClient.Builder()
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.readTimeout())
                .writeTimeout(settings.readTimeout())
                .callTimeout(settings.callTimeout())
                // Token endpoints must not silently follow a redirect to another host with our form body.
                .followRedirects(false)
                .followSslRedirects(false)
                .build();
    }

    /**
     * Reads at most {@code maxBytes} of a body as UTF-8.
     *
     * @throws BodyTooLargeException if the body is longer; the rest is never buffered
     */
    public static String readLimited(ResponseBody body, long maxBytes) throws IOException {
        BufferedSource source = body.source();
        if (source.request(maxBytes + 1)) {
            throw new BodyTooLargeException(maxBytes);
        }
        Buffer buffer = source.getBuffer();
        return buffer.readUtf8();
    }

    /** A response body longer than the caller allows. */
    public static final class BodyTooLargeException extends IOException {
        private final long limit;

        public BodyTooLargeException(long limit) {
            super("response body is larger than " + limit + " bytes");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }
}
