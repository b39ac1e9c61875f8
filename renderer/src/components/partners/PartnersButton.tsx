// The toolbar's way into the Partners view (admins only: the backend refuses everyone else anyway).
export function PartnersButton({ onClick }: { onClick(): void }) {
  return (
    <button type="button" className="alerts-btn" data-testid="open-partners" onClick={onClick}>
      Partners
    </button>
  );
}
