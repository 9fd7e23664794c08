package io.sluice.runs.alerts;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.sluice.pipeline.AlertChannel;

/** Sends e-mail alerts through the Quarkus mailer: the mail server, its login and the sender are {@code quarkus.mailer.*}. */
final class MailSender {
    private final Mailer mailer;

    MailSender(Mailer mailer) {
        this.mailer = mailer;
    }

    /** @throws AlertNotSentException when the mail server refuses the mail or cannot be reached */
    void send(AlertChannel.Email email, AlertMessage message) throws AlertNotSentException {
        Mail mail = new Mail().setTo(email.to()).setSubject(AlertBodies.subject(email.subjectPrefix(), message))
                .setText(AlertBodies.text(message));
        try {
            mailer.send(mail);
        } catch (RuntimeException e) {
            // The mail server's password is config and never in these messages; the server's answer is worth telling.
            throw new AlertNotSentException("the mail server did not take it: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), true);
        }
    }
}
