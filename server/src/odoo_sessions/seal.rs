//! Refresh tokens at rest: sealed with AES-256-GCM (ring) when `[sessions] refresh_token_key`
//! is set, else stored as they are (marked so a key added later still reads them).
//! It must never return a token it could not authenticate.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};

const SEALED: &str = "gcm1:";
const CLEAR: &str = "clear:";
/// Binds the ciphertext to its purpose: a value sealed for something else does not open here.
const AAD: &[u8] = b"login-bridge refresh token";

#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("the refresh token is sealed but [sessions] refresh_token_key is not set")]
    NoKey,
    #[error("the sealed refresh token does not open with this key (key changed, or the row was altered)")]
    Corrupt,
}

fn key(bytes: &[u8; 32]) -> Result<LessSafeKey, SealError> {
    UnboundKey::new(&AES_256_GCM, bytes).map(LessSafeKey::new).map_err(|_| SealError::Corrupt)
}

pub fn seal(key_bytes: Option<&[u8; 32]>, token: &str) -> Result<String, SealError> {
    let Some(key_bytes) = key_bytes else { return Ok(format!("{CLEAR}{token}")) };
    let nonce_bytes: [u8; NONCE_LEN] = rand::random();
    let mut data = token.as_bytes().to_vec();
    key(key_bytes)?
        .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce_bytes), Aad::from(AAD), &mut data)
        .map_err(|_| SealError::Corrupt)?;
    let mut out = nonce_bytes.to_vec();
    out.extend_from_slice(&data);
    Ok(format!("{SEALED}{}", URL_SAFE_NO_PAD.encode(out)))
}

pub fn open(key_bytes: Option<&[u8; 32]>, stored: &str) -> Result<String, SealError> {
    if let Some(clear) = stored.strip_prefix(CLEAR) {
        return Ok(clear.to_string());
    }
    let sealed = stored.strip_prefix(SEALED).ok_or(SealError::Corrupt)?;
    let key_bytes = key_bytes.ok_or(SealError::NoKey)?;
    let mut bytes = URL_SAFE_NO_PAD.decode(sealed).map_err(|_| SealError::Corrupt)?;
    if bytes.len() < NONCE_LEN {
        return Err(SealError::Corrupt);
    }
    let mut data = bytes.split_off(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = bytes.try_into().map_err(|_| SealError::Corrupt)?;
    let plain = key(key_bytes)?
        .open_in_place(Nonce::assume_unique_for_key(nonce), Aad::from(AAD), &mut data)
        .map_err(|_| SealError::Corrupt)?;
    String::from_utf8(plain.to_vec()).map_err(|_| SealError::Corrupt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_tokens_open_only_with_their_key_and_never_show_the_token() {
        let k = [7u8; 32];
        let sealed = seal(Some(&k), "rt-secret-value").unwrap();
        assert!(!sealed.contains("rt-secret-value"));
        assert_eq!(open(Some(&k), &sealed).unwrap(), "rt-secret-value");
        assert!(open(Some(&[8u8; 32]), &sealed).is_err());
        assert!(open(None, &sealed).is_err());
        let clear = seal(None, "rt").unwrap();
        assert_eq!(open(Some(&k), &clear).unwrap(), "rt");
    }
}
