package io.github.ephemeralcredentials.core.provider;

import java.util.regex.Pattern;

/**
 * Text a server sent (an error message) made safe to repeat in our own messages: servers sometimes echo the token
 * they were given, so every secret we sent and anything shaped like a JWT or a bearer token is removed, and the text
 * is cut short and kept on one line.
 */
public final class ServerText {

    private static final int MAX_LENGTH = 400;
    /** Shorter "secrets" would shred ordinary words if replaced everywhere. */
    private static final int MIN_SECRET_LENGTH = 4;
    private static final Pattern JWT_SHAPED = Pattern.compile("[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_.-]*");
    /** Vault ({@code hvs.}, {@code s.}), GitHub ({@code ghs_}, {@code ghp_}, ...) and Google ({@code ya29.}) tokens. */
    private static final Pattern TOKEN_SHAPED =
            Pattern.compile("\\b(hv[sbr]\\.[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9_]{16,}|ya29\\.[A-Za-z0-9_.-]{16,})");

    private ServerText() {
    }

    /** @return {@code text} without {@code secrets} and token-shaped words, at most 400 characters, or null */
    public static String clean(String text, String... secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= MIN_SECRET_LENGTH) {
                out = out.replace(secret, "****");
            }
        }
        out = JWT_SHAPED.matcher(out).replaceAll("****");
        out = TOKEN_SHAPED.matcher(out).replaceAll("****");
        out = out.replaceAll("[\\r\\n\\t]+", " ").strip();
        return out.length() > MAX_LENGTH ? out.substring(0, MAX_LENGTH) + "…" : out;
    }
}
