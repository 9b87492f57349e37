// A small deny-list of passwords that pass the length rule but are guessed first by attackers.
// Compared lowercased. Not exhaustive: length is the main defence.
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  "123456789012", "1234567890123", "12345678901234", "123456789abc", "1q2w3e4r5t6y", "1qaz2wsx3edc",
  "aaaaaaaaaaaa", "abc123abc123", "abcdefghijkl", "admin1234567", "administrator", "changeme1234",
  "correcthorsebatterystaple", "iloveyou1234", "letmein12345", "password1234", "password12345",
  "password123!", "password2024", "password2025", "password2026", "passw0rd1234", "qwerty123456",
  "qwertyuiop12", "qwertyuiopasdf", "qazwsxedcrfv", "welcome12345", "welcome123!!", "trustno1trustno1",
  "football1234", "baseball1234", "superman1234", "starwars1234", "monkey123456", "dragon123456",
  "sunshine1234", "princess1234", "whatever1234", "zaq12wsxcde3", "stowaway1234", "docker123456",
  "secret123456", "mypassword12", "p@ssw0rd1234", "p@ssword1234", "1234qwerasdf", "asdfghjkl123",
  "000000000000", "111111111111", "121212121212", "123123123123", "987654321098", "password!123",
]);
