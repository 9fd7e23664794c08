package io.sluice.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for localhost and its private key, made by the JDK's keytool and written as PEM files
 * (what the server's and the CLI's TLS options read), for TLS tests that need no certificate authority.
 */
public record SelfSignedCertificate(Path certificate, Path key) {
    private static final Duration KEYTOOL_DEADLINE = Duration.ofSeconds(60);
    private static final char[] PASSWORD = "changeit".toCharArray();

    /** Makes a certificate named {@code name} in {@code directory}: {@code name.pem} and {@code name-key.pem}. */
    public static SelfSignedCertificate create(Path directory, String name) {
        Path store = directory.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=" + name, "-ext", "san=dns:localhost,ip:127.0.0.1", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", new String(PASSWORD));
        try (var input = Files.newInputStream(store)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(input, PASSWORD);
            Path certificate = directory.resolve(name + ".pem");
            Path key = directory.resolve(name + "-key.pem");
            Files.writeString(certificate, pem("CERTIFICATE", keys.getCertificate(name).getEncoded()));
            Files.writeString(key, pem("PRIVATE KEY", keys.getKey(name, PASSWORD).getEncoded()));
            return new SelfSignedCertificate(certificate, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the certificate keytool made", e);
        }
    }

    /** A PKCS#12 trust store (password {@code changeit}) holding this certificate, for a server to trust its holder. */
    public Path trustStore(Path file) {
        try (var input = Files.newInputStream(certificate); OutputStream output = Files.newOutputStream(file)) {
            Certificate trusted = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(input);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("trusted", trusted);
            store.store(output, PASSWORD);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the trust store", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void keytool(String... arguments) {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(KEYTOOL_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool took longer than " + KEYTOOL_DEADLINE);
            }
            String output = new String(process.getInputStream().readAllBytes());
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while keytool ran", e);
        }
    }
}
