package io.github.ephemeralcredentials.core.credential;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secrets by {@value #MASK} in text bound for a log, an exception message or the audit trail: the value
 * itself and the forms it takes when a tool re-encodes it on the way out.
 *
 * <p>For each secret it masks: the value; each of its lines and each trimmed line (a PEM key or a kubeconfig shows
 * up line by line); its URL encoding ({@code +} and {@code %20} for spaces); its JSON string escaping; and its
 * base64, standard and URL-safe alphabets, at the three byte offsets a secret can sit at inside a longer base64 text
 * (the "shifted" forms GitHub's runner also masks): for each offset only the characters that depend on the secret
 * alone are used, so {@code Basic base64(user:secret)} is caught as well as {@code base64(secret)}.
 *
 * <p>Thresholds, because masking short strings mangles logs (every {@code "1"} turned into {@code ****}) without
 * protecting anything: a whole secret value shorter than {@value #MIN_SECRET_LENGTH} characters is not masked (no
 * credential a provider issues is that short), and a derived fragment (a line, an encoded form) shorter than
 * {@value #MIN_FRAGMENT_LENGTH} characters is not masked either. Longer forms win over shorter ones where they
 * overlap.
 *
 * <p>{@link #andSignedJwts()} also masks anything shaped like a signed JWT ({@code eyJ….eyJ….signature}): for a host
 * that hands a job tokens minted after its masks were fixed (a token file rewritten during a long build), where the
 * token values cannot be known in advance.
 *
 * <p>Immutable and thread-safe; {@link #and(Collection)} returns a new redactor.
 */
public final class Redactor {

    public static final String MASK = "****";

    /** Whole secrets shorter than this are not masked. */
    public static final int MIN_SECRET_LENGTH = 4;

    /** Lines and encoded forms of a secret shorter than this are not masked. */
    public static final int MIN_FRAGMENT_LENGTH = 8;

    /** A compact JWS whose header and payload are JSON objects: base64url of "{\"" starts with "eyJ". */
    private static final String SIGNED_JWT = "eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,}";

    private static final Redactor NONE = new Redactor(Set.of(), false);

    /** Code points of a secret's head that its probes are made from: enough for eight characters of every form. */
    private static final int PROBE_HEAD_CODE_POINTS = 12;

    private final Set<String> secrets;
    private final boolean signedJwts;
    /**
     * The first {@value #MIN_FRAGMENT_LENGTH} characters of every form of every secret (or the whole form, when
     * shorter), made from each secret's head: a text that holds no probe holds no form. Most texts hold none, and
     * encoding a 1 KB token a dozen ways cost more than its exchange's audit line.
     */
    private final List<String> probes;
    /** Every form of every secret, longest first; made on the first text that holds a probe. */
    private volatile List<String> forms;
    /**
     * Compiled on the first text that holds a form: most texts a redactor sees hold none (a host builds one per
     * request for its error paths), and compiling the alternation of a JWT's dozen encodings costs more than the
     * whole token exchange around it.
     */
    private volatile Pattern pattern;

    private Redactor(Set<String> secrets, boolean signedJwts) {
        this.secrets = Set.copyOf(secrets);
        this.signedJwts = signedJwts;
        Set<String> probes = new LinkedHashSet<>();
        for (String secret : this.secrets) {
            probes.addAll(probesOf(secret));
        }
        this.probes = List.copyOf(probes);
    }

    /** A redactor that masks nothing. */
    public static Redactor none() {
        return NONE;
    }

    public static Redactor of(String... secrets) {
        return of(List.of(secrets));
    }

    /** Null and blank entries are ignored, so callers can pass optional values as they are. */
    public static Redactor of(Collection<String> secrets) {
        Set<String> kept = new LinkedHashSet<>();
        for (String s : secrets) {
            if (s != null && !s.isBlank()) {
                kept.add(s);
            }
        }
        return kept.isEmpty() ? NONE : new Redactor(kept, false);
    }

    /** Masks the secret values of a credential. */
    public static Redactor of(EphemeralCredential credential) {
        return of(credential.secrets());
    }

    /** This redactor plus more secrets. */
    public Redactor and(Collection<String> more) {
        Set<String> all = new LinkedHashSet<>(secrets);
        more.stream().filter(s -> s != null && !s.isBlank()).forEach(all::add);
        return all.size() == secrets.size() ? this : new Redactor(all, signedJwts);
    }

    /** This redactor, also masking every signed JWT whatever its value. */
    public Redactor andSignedJwts() {
        return signedJwts ? this : new Redactor(secrets, true);
    }

    public Redactor and(String... more) {
        return and(List.of(more));
    }

    /** {@code text} with every form of every secret replaced by {@value #MASK}; {@code null} stays {@code null}. */
    public String redact(String text) {
        if (text == null || text.isEmpty() || !mayHold(text)) {
            return text;
        }
        return pattern().matcher(text).replaceAll(Matcher.quoteReplacement(MASK));
    }

    /** False only when no form of a secret, and no signed JWT if those are masked, can be in {@code text}. */
    private boolean mayHold(String text) {
        if (signedJwts && text.contains("eyJ")) {
            return true;
        }
        for (String probe : probes) {
            if (text.contains(probe)) {
                for (String form : forms()) {
                    if (text.contains(form)) {
                        return true;
                    }
                }
                return false;
            }
        }
        return false;
    }

    private List<String> forms() {
        List<String> made = forms;
        if (made == null) {
            made = forms(secrets);
            forms = made;
        }
        return made;
    }

    private Pattern pattern() {
        Pattern compiled = pattern;
        if (compiled == null) {
            compiled = compile(forms(), signedJwts);
            pattern = compiled;
        }
        return compiled;
    }

    /**
     * A one-line description of a failure for logs and reports: each cause's class and message, redacted. Stack
     * traces are left to the caller's debug output.
     */
    public String describe(Throwable failure) {
        StringBuilder out = new StringBuilder();
        Set<Throwable> seen = new java.util.HashSet<>();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (out.length() > 0) {
                out.append(" <- ");
            }
            out.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                out.append(": ").append(t.getMessage());
            }
        }
        return redact(out.toString());
    }

    /** Whether {@code text} contains any masked form of a secret. */
    public boolean reveals(String text) {
        return text != null && !text.isEmpty() && mayHold(text) && pattern().matcher(text).find();
    }

    private static List<String> forms(Set<String> secrets) {
        Set<String> forms = new LinkedHashSet<>();
        for (String secret : secrets) {
            forms.addAll(formsOf(secret));
        }
        // Longest first: at one position the regex engine takes the first alternative that matches.
        List<String> ordered = new ArrayList<>(forms);
        ordered.sort(Redactor::longestFirst);
        return List.copyOf(ordered);
    }

    private static Pattern compile(List<String> ordered, boolean signedJwts) {
        if (ordered.isEmpty()) {
            return Pattern.compile(signedJwts ? SIGNED_JWT : "(?!)");
        }
        StringBuilder alternation = new StringBuilder();
        for (String form : ordered) {
            if (alternation.length() > 0) {
                alternation.append('|');
            }
            alternation.append(Pattern.quote(form));
        }
        if (signedJwts) {
            // First, so a whole token goes at once rather than around a secret found inside it.
            alternation.insert(0, SIGNED_JWT + "|");
        }
        return Pattern.compile(alternation.toString());
    }

    /**
     * Longer forms first, then by text (a stable order). Written out rather than composed from {@code Comparator}'s
     * combinators, whose lambdas the JVM spins at run time on every cold start of the action's container.
     */
    private static int longestFirst(String a, String b) {
        int byLength = Integer.compare(b.length(), a.length());
        return byLength != 0 ? byLength : a.compareTo(b);
    }

    /** Every form of one secret worth masking (package-private for tests). */
    static Set<String> formsOf(String secret) {
        Set<String> forms = new LinkedHashSet<>();
        if (secret.length() < MIN_SECRET_LENGTH) {
            return forms;
        }
        forms.add(secret);
        List<String> fragments = new ArrayList<>();
        // Most secrets are one line (tokens, keys in base64): skip the regular expression for them.
        for (String line : hasLineBreak(secret) ? secret.split("\\R") : new String[] {secret}) {
            fragments.add(line);
            fragments.add(line.strip());
        }
        String urlEncoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        fragments.add(urlEncoded);
        fragments.add(urlEncoded.replace("+", "%20"));
        fragments.add(new String(JsonStringEncoder.getInstance().quoteAsString(secret)));
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        for (int shift = 0; shift < 3; shift++) {
            fragments.add(base64Core(Base64.getEncoder().withoutPadding(), bytes, shift));
            fragments.add(base64Core(Base64.getUrlEncoder().withoutPadding(), bytes, shift));
        }
        // The padded standard form of the value on its own, so a whole "c2VjcmV0==" disappears, padding included.
        fragments.add(Base64.getEncoder().encodeToString(bytes));
        for (String fragment : fragments) {
            if (fragment.length() >= MIN_FRAGMENT_LENGTH) {
                forms.add(fragment);
            }
        }
        return forms;
    }

    /**
     * The probes of one secret (package-private for tests): for each form {@link #formsOf} makes, its first
     * {@value #MIN_FRAGMENT_LENGTH} characters, or all of it when shorter. One-line secrets get them from their first
     * {@value #PROBE_HEAD_CODE_POINTS} code points, since each encoding maps a prefix to a prefix: URL and JSON
     * escaping character by character, base64 three bytes at a time (and {@link #base64Core} keeps only the characters
     * its bytes alone decide). A secret of several lines is rare: its probes come from its forms.
     */
    static Set<String> probesOf(String secret) {
        Set<String> probes = new LinkedHashSet<>();
        if (secret.length() < MIN_SECRET_LENGTH) {
            return probes;
        }
        if (hasLineBreak(secret)) {
            formsOf(secret).forEach(form -> probes.add(probe(form)));
            return probes;
        }
        String head = secret.substring(0, secret.offsetByCodePoints(0,
                Math.min(PROBE_HEAD_CODE_POINTS, secret.codePointCount(0, secret.length()))));
        probes.add(probe(secret));
        probes.add(probe(secret.strip()));
        String urlEncoded = URLEncoder.encode(head, StandardCharsets.UTF_8);
        probes.add(probe(urlEncoded));
        probes.add(probe(urlEncoded.replace("+", "%20")));
        probes.add(probe(new String(JsonStringEncoder.getInstance().quoteAsString(head))));
        byte[] bytes = head.getBytes(StandardCharsets.UTF_8);
        for (int shift = 0; shift < 3; shift++) {
            probes.add(probe(base64Core(Base64.getEncoder().withoutPadding(), bytes, shift)));
            probes.add(probe(base64Core(Base64.getUrlEncoder().withoutPadding(), bytes, shift)));
        }
        probes.add(probe(Base64.getEncoder().encodeToString(bytes)));
        probes.remove("");
        return probes;
    }

    private static String probe(String form) {
        return form.length() <= MIN_FRAGMENT_LENGTH ? form : form.substring(0, MIN_FRAGMENT_LENGTH);
    }

    /**
     * The base64 characters that depend only on {@code bytes} when they start at byte offset {@code shift} (mod 3)
     * of a longer encoded text: the characters sharing bits with the unknown bytes before or after are dropped.
     */
    private static String base64Core(Base64.Encoder encoder, byte[] bytes, int shift) {
        byte[] shifted = shift == 0 ? bytes : new byte[bytes.length + shift];
        if (shift != 0) {
            System.arraycopy(bytes, 0, shifted, shift, bytes.length);
        }
        byte[] encoded = encoder.encode(shifted);
        int start = shift == 0 ? 0 : shift + 1;
        int end = (shifted.length * 8) / 6;
        return start >= end ? "" : new String(encoded, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** Whether {@code text} holds a character that {@code \\R} matches. */
    private static boolean hasLineBreak(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c >= '\n' && c <= '\r') || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Redactor r && r.secrets.equals(secrets) && r.signedJwts == signedJwts;
    }

    @Override
    public int hashCode() {
        return Objects.hash(secrets, signedJwts);
    }

    @Override
    public String toString() {
        return "Redactor[" + secrets.size() + " secrets" + (signedJwts ? ", signed JWTs" : "") + "]";
    }
}
