package io.janela.ingress.parse;

/** Phone numbers as the contact key holds them: a user's {@code wa_id}, digits only. */
final class PhoneNumbers {

    private PhoneNumbers() {}

    /**
     * A phone number written as Meta writes a {@code wa_id}: a leading {@code +} dropped ({@code +16505551234} and
     * {@code 16505551234} are one contact). Anything that is not {@code +} and digits is returned as it is.
     */
    static String waId(String number) {
        if (number == null || number.length() < 2 || number.charAt(0) != '+') {
            return number;
        }
        String digits = number.substring(1);
        return digits.chars().allMatch(c -> c >= '0' && c <= '9') ? digits : number;
    }
}
