package poll

var OwnerOf = ownerOf
