"""What the user typed → server and room; canonical room names; invitations. No Qt."""
