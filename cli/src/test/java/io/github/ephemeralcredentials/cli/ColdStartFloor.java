package io.github.ephemeralcredentials.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import okhttp3.ConnectionSpec;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The floor under the cold-start benchmark ({@link ColdStartBench}): only the main step's two requests — the runner's
 * token, then AssumeRoleWithWebIdentity — with nothing around them (no inputs, masking, parsing or files), over
 * plain http, from the same environment variables. {@code okhttp}: a cleartext-only, HTTP/1.1 OkHttp client, the
 * least OkHttp sets up; {@code jdk}: the JDK's {@code HttpURLConnection}. Run in a fresh JVM with its own AOT cache,
 * the difference between the two, and between the floor and the step, says where a cold start's time goes.
 */
public final class ColdStartFloor {

    private ColdStartFloor() {
    }

    public static void main(String[] args) throws IOException {
        String tokenUrl = System.getenv("ACTIONS_ID_TOKEN_REQUEST_URL") + "&audience=sts-test";
        String bearer = "Bearer " + System.getenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN");
        String sts = System.getenv("INPUT_AWS-STS-ENDPOINT");
        int read = "jdk".equals(args[0]) ? jdk(tokenUrl, bearer, sts) : okhttp(tokenUrl, bearer, sts);
        System.exit(read > 0 ? 0 : 1);
    }

    private static int okhttp(String tokenUrl, String bearer, String sts) throws IOException {
        OkHttpClient http = new OkHttpClient.Builder().protocols(List.of(Protocol.HTTP_1_1))
                .connectionSpecs(List.of(ConnectionSpec.CLEARTEXT)).build();
        String token;
        try (Response response = http.newCall(new Request.Builder().url(tokenUrl).header("Authorization", bearer)
                .build()).execute()) {
            token = response.body().string();
        }
        FormBody form = new FormBody.Builder().add("Action", "AssumeRoleWithWebIdentity")
                .add("WebIdentityToken", token).build();
        try (Response response = http.newCall(new Request.Builder().url(sts).post(form).build()).execute()) {
            return response.body().string().length();
        }
    }

    private static int jdk(String tokenUrl, String bearer, String sts) throws IOException {
        HttpURLConnection get = (HttpURLConnection) URI.create(tokenUrl).toURL().openConnection();
        get.setRequestProperty("Authorization", bearer);
        String token;
        try (InputStream in = get.getInputStream()) {
            token = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        HttpURLConnection post = (HttpURLConnection) URI.create(sts).toURL().openConnection();
        post.setDoOutput(true);
        try (OutputStream out = post.getOutputStream()) {
            out.write(("Action=AssumeRoleWithWebIdentity&WebIdentityToken="
                    + URLEncoder.encode(token, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        }
        try (InputStream in = post.getInputStream()) {
            return in.readAllBytes().length;
        }
    }
}
