// The toolbar's way into the Availability view.
export function AvailabilityButton({ onClick }: { onClick(): void }) {
  return (
    <button type="button" className="alerts-btn" data-testid="open-availability" onClick={onClick}>
      Availability
    </button>
  );
}
