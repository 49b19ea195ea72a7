package dev.meld.chaos.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP against the API, for what the Toxiproxy client cannot send (bad requests). */
final class RawApi {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String base;

  RawApi(String base) {
    this.base = base;
  }

  /** A response: status and parsed JSON body (null when empty). */
  record Reply(int status, JsonNode body) {
    String error() {
      return body.get("error").asText();
    }
  }

  Reply get(String path) throws IOException, InterruptedException {
    return send("GET", path, null, "meld-test");
  }

  Reply post(String path, String body) throws IOException, InterruptedException {
    return send("POST", path, body, "meld-test");
  }

  Reply send(String method, String path, String body, String userAgent)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(10))
            .header("User-Agent", userAgent)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.replace('\'', '"')))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode json = response.body().isEmpty() ? null : Json.MAPPER.readTree(response.body());
    return new Reply(response.statusCode(), json);
  }
}
